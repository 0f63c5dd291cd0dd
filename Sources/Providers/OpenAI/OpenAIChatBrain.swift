import Foundation
import HTTP
import Logging
import Settings
import Telemetry
import Tools
import Voice

/// A ``DialogBrain`` on any OpenAI-compatible `/chat/completions` server, streamed.
///
/// Each turn sends the system prompt for the call's language, the conversation within its
/// budget (``ChatHistory``), the call-control tools and the business's tools (`TOOLS_FILE`), with
/// `stream: true`, and yields text deltas as the Server-Sent Events arrive. When the model calls
/// call-control tools without saying anything, their results go back in one follow-up request
/// (tools then disabled) so the caller hears e.g. "transferring you now"; the actions are yielded
/// after that text, so the pipeline speaks before it transfers or hangs up. Business tools run
/// (concurrently, through ``ToolRunner``) and their results go back with tools still on, so the
/// model can chain them (find a slot, then book it), for at most ``maximumRounds`` requests; one
/// taking longer than ``fillerDelay`` makes the caller hear a filler line ("One moment, please."). A stream that ends without a
/// `finish_reason` was cut by the server and fails with ``ProviderError/streamAborted(provider:)``.
///
/// Cancelling the consumer (barge-in) cancels the request. Usage (the server's numbers, or an
/// estimate when it reports none) goes to the call's ``CostMeter``.
public struct OpenAIChatBrain: DialogBrain {
    public let name: String
    let endpoint: ProviderEndpoint
    let server: OpenAIServerAccess
    let model: String
    let systemPrompts: [String: String]
    let historyTurns: Int
    let historyTokens: Int
    let meter: CostMeter?
    let tools: CallTools
    let businessTools: ToolShelf?
    let runner: ToolRunner?
    let fillerDelay: Duration

    /// Requests one turn may make while the model keeps calling business tools.
    static let maximumRounds = 4

    /// - Parameters:
    ///   - systemPrompts: overrides by language family (`en`, `pt`) of ``PhoneAgentPrompt``'s defaults.
    ///   - historyTurns: most conversation messages sent.
    ///   - historyTokens: estimated token budget of those messages.
    public init(
        endpoint: ProviderEndpoint, server: OpenAIServerAccess, model: String, systemPrompts: [String: String] = [:],
        historyTurns: Int = 20, historyTokens: Int = 3000, meter: CostMeter? = nil, transferAllowList: TransferAllowList? = nil,
        businessTools: ToolShelf? = nil, runner: ToolRunner? = nil, fillerDelay: Duration = .milliseconds(800),
        metrics: URAMetrics = URAMetrics(), logger: Logger = Logger(label: "ura.llm")
    ) {
        self.businessTools = businessTools
        self.runner = runner
        self.fillerDelay = fillerDelay
        self.tools = CallTools(transferAllowList: transferAllowList, metrics: metrics, logger: logger)
        self.name = "llm:\(endpoint.provider):\(model)"
        self.endpoint = endpoint
        self.server = server
        self.model = model
        self.systemPrompts = systemPrompts
        self.historyTurns = historyTurns
        self.historyTokens = historyTokens
        self.meter = meter
    }

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        let (stream, continuation) = AsyncThrowingStream<BrainOutput, any Error>.makeStream()
        let task = Task {
            do {
                try await run(input, conversation, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ input: BrainInput, _ conversation: Conversation, into output: AsyncThrowingStream<BrainOutput, any Error>.Continuation) async throws {
        let history = ChatHistory(
            systemPrompt: PhoneAgentPrompt.prompt(for: conversation.language, overrides: systemPrompts),
            maxTurns: historyTurns, maxTokens: historyTokens)
        var messages = history.messages(for: input, in: conversation)
        let catalog = runner == nil ? ToolCatalog() : businessTools?.catalog ?? ToolCatalog()
        let definitions = CallTools.definitions + catalog.tools.map(CallTools.definition(of:))
        var actions: [CallAction] = []
        var saidSomething = false
        for index in 0..<Self.maximumRounds {
            // The last request may not call tools: the turn must end with words.
            let round = try await self.round(
                messages, tools: definitions, toolChoice: index == Self.maximumRounds - 1 ? "none" : nil, output: output)
            saidSomething = saidSomething || !round.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            guard !round.toolCalls.isEmpty else { break }
            var results: [String: String] = [:]
            var business: [(call: ToolCallAccumulator.Call, tool: BusinessTool)] = []
            for call in round.toolCalls {
                if let tool = catalog.tool(named: call.name) {
                    business.append((call, tool))
                    continue
                }
                let outcome = tools.action(for: call)
                if case .success(let action) = outcome { actions.append(action) } else { endpoint.stats.count(endpoint.provider, "bad_tool_call") }
                results[call.id] = CallTools.result(for: outcome)
            }
            if business.isEmpty, saidSomething { break }
            if let runner, !business.isEmpty {
                let filler = saidSomething ? nil : business[0].tool.fillerLine(language: conversation.language)
                for (id, message) in await run(business, runner: runner, filler: filler, output: output) { results[id] = message }
                saidSomething = saidSomething || filler != nil
            }
            messages.append(ChatWire.Message(
                role: "assistant", content: round.text.isEmpty ? nil : round.text,
                tool_calls: round.toolCalls.map { .init(id: $0.id, function: .init(name: $0.name, arguments: $0.arguments)) }))
            messages += round.toolCalls.map { ChatWire.Message(role: "tool", content: results[$0.id] ?? "Error: not run.", tool_call_id: $0.id) }
            if business.isEmpty {
                _ = try await self.round(messages, tools: definitions, toolChoice: "none", output: output)
                break
            }
        }
        for action in actions { output.yield(.action(action)) }
    }

    /// Runs the business tools the model called, at once; when they take longer than
    /// ``fillerDelay``, `filler` is said meanwhile.
    /// - Returns: each call's tool message, by call id.
    private func run(
        _ calls: [(call: ToolCallAccumulator.Call, tool: BusinessTool)], runner: ToolRunner, filler: String?,
        output: AsyncThrowingStream<BrainOutput, any Error>.Continuation
    ) async -> [String: String] {
        enum Event: Sendable {
            case finished(id: String, ToolOutcome)
            case fillerDue
        }
        let fillerDelay = fillerDelay
        return await withTaskGroup(of: Event.self) { group in
            for (call, tool) in calls {
                group.addTask { .finished(id: call.id, await runner.run(tool, arguments: call.arguments)) }
            }
            if filler != nil {
                group.addTask {
                    try? await Task.sleep(for: fillerDelay)
                    return .fillerDue
                }
            }
            var messages: [String: String] = [:]
            while messages.count < calls.count, let event = await group.next() {
                switch event {
                case .finished(let id, let outcome): messages[id] = outcome.message
                case .fillerDue:
                    if let filler, !Task.isCancelled, messages.count < calls.count { output.yield(.text(filler + " ")) }
                }
            }
            group.cancelAll()
            return messages
        }
    }

    private struct Round {
        var text = ""
        var toolCalls: [ToolCallAccumulator.Call] = []
    }

    /// One streamed request; yields its text and returns it with the tool calls.
    private func round(
        _ messages: [ChatWire.Message], tools: [ChatWire.Tool], toolChoice: String?, output: AsyncThrowingStream<BrainOutput, any Error>.Continuation
    ) async throws -> Round {
        let body = try JSONEncoder().encode(ChatWire.Request(model: model, messages: messages, tools: tools, tool_choice: toolChoice))
        let response = try await endpoint.open(
            server.request("chat/completions", contentType: "application/json", accept: "text/event-stream", body: body),
            accepting: ["text/event-stream"])
        var reader = ChatStreamReader(provider: endpoint.provider)
        // Transport failures of the body are counted by the endpoint; wire-format ones here.
        func read(_ step: (inout ChatStreamReader) throws -> Void) throws {
            do {
                try step(&reader)
            } catch let error as ProviderError {
                endpoint.stats.count(endpoint.provider, error.kind)
                throw error
            }
        }
        pieces: for try await piece in response.body {
            try read { try $0.feed(piece) { output.yield(.text($0)) } }
            if reader.isDone { break pieces }
        }
        try read { try $0.finish { output.yield(.text($0)) } }
        let promptEstimate = messages.reduce(0) { $0 + ChatHistory.estimatedTokens($1.content ?? "") }
        let completionEstimate = ChatHistory.estimatedTokens(reader.text + reader.toolCalls.map(\.arguments).joined())
        meter?.record(endpoint.provider, ProviderUsage(
            promptTokens: reader.usage?.prompt_tokens ?? promptEstimate,
            completionTokens: reader.usage?.completion_tokens ?? completionEstimate,
            estimated: reader.usage?.prompt_tokens == nil || reader.usage?.completion_tokens == nil))
        return Round(text: reader.text, toolCalls: reader.toolCalls)
    }
}
