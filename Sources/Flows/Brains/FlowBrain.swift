import Foundation
public import Voice

/// Runs a ``Flow`` as a call's dialog brain: prompts, inputs, retries and call actions.
///
/// Stateless and shared by every call of the flow: a call's progress is kept in its
/// ``Voice/Conversation/variables`` under ``stateVariable`` and ``noMatchVariable``, which
/// the brain updates with ``Voice/CallAction/setVariable(name:value:)`` actions emitted at
/// the start of each turn, before any text (so a barge-in during the prompt still leaves the
/// call in the new state). The pipeline must apply those actions to the conversation before
/// the next turn. A turn is computed at once, except where a `tool` step calls the business's
/// API: what the turn has said until then is yielded first, so the caller hears it while the
/// request runs (a barge-in then cancels the request).
///
/// For a grammar recogniser, ``hints(for:)`` lists the phrases the current state accepts.
public struct FlowBrain: DialogBrain {
    /// The call variable holding the current state's name.
    public static let stateVariable = "flow.state"
    /// The call variable counting no-matches in the current state.
    public static let noMatchVariable = "flow.no_match"
    /// A goto chain longer than this is a loop between states that only talk.
    static let maximumHops = 16

    /// The flow this brain runs.
    public let flow: Flow
    private let tools: (any FlowToolRunner)?
    private let now: @Sendable () -> Date
    private let timeZone: TimeZone

    /// - Parameters:
    ///   - now: the clock `{time_of_day}` reads.
    ///   - timeZone: where the callers are (the server may run in UTC).
    ///   - tools: runs the flow's `tool` steps; without it they take their `on_error` steps.
    public init(
        flow: Flow, tools: (any FlowToolRunner)? = nil, timeZone: TimeZone = .current, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.flow = flow
        self.tools = tools
        self.now = now
        self.timeZone = timeZone
    }

    public var name: String { "flow:\(flow.name)" }

    /// What the recogniser should listen for in the call's current state: its phrases in the
    /// call's language.
    public func recognitionHints(for conversation: Conversation) -> RecognitionHints? { hints(for: conversation) }

    public func hints(for conversation: Conversation) -> RecognitionHints {
        let state = currentState(in: conversation)
        let phrases = state?.inputs.flatMap { $0.phrases(for: conversation.language) } ?? []
        return RecognitionHints(language: conversation.language, phrases: phrases)
    }

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        let (stream, continuation) = AsyncThrowingStream<BrainOutput, any Error>.makeStream()
        let task = Task {
            do {
                let rest = try await turn(for: input, in: conversation) { early in for output in early { continuation.yield(output) } }
                for output in rest { continuation.yield(output) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The turn's output for `input`: what `emit` was not given before a tool step waited.
    ///
    /// - Throws: ``FlowRunError`` when goto steps loop without waiting for the caller.
    public func turn(
        for input: BrainInput, in conversation: Conversation, emit: @escaping ([BrainOutput]) -> Void = { _ in }
    ) async throws(FlowRunError) -> [BrainOutput] {
        var run = FlowTurn(flow: flow, conversation: conversation, hour: hour, tools: tools, emit: emit)
        guard let state = currentState(in: conversation) else {
            // No state yet: whatever arrives first starts the flow.
            try await run.enter(flow.start)
            return run.outputs
        }
        switch input {
        case .greeting:
            try await run.enter(flow.start)
        case .speech(let text):
            run.renderer.input = text
            let candidates = state.inputs.enumerated().flatMap { index, input in
                input.phrases(for: conversation.language).map { (index, $0) }
            }
            if let best = PhraseMatcher.bestMatch(in: text, among: candidates.map(\.1)) {
                try await run.choose(state.inputs[candidates[best].0])
            } else {
                try await run.noMatch(in: state)
            }
        case .dtmf(let digits):
            run.renderer.input = digits
            if let chosen = state.inputs.first(where: { $0.digits == digits }) {
                try await run.choose(chosen)
            } else {
                try await run.noMatch(in: state)
            }
        case .noInput(let attempt):
            try await run.noInput(attempt: attempt, in: state)
        case .goodbye:
            if let goodbye = flow.goodbye { run.say(goodbye) }
        }
        return run.outputs
    }

    private func currentState(in conversation: Conversation) -> FlowState? {
        conversation.variables[Self.stateVariable].flatMap { flow.states[$0] }
    }

    private var hour: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.component(.hour, from: now())
    }
}
