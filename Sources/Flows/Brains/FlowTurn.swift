import Voice

/// One turn of a ``FlowBrain``: walks steps and states, collecting what to say and do.
///
/// Variables set during the turn are visible to text later in the same turn; state changes
/// are emitted as ``Voice/CallAction/setVariable(name:value:)`` actions ahead of the text.
struct FlowTurn {
    let flow: Flow
    let language: String
    let tools: (any FlowToolRunner)?
    /// Takes what the turn has so far before a tool call waits, so the caller hears it meanwhile.
    let emit: ([BrainOutput]) -> Void
    var renderer: PromptRenderer
    private var variables: [String: String]
    private var bookkeeping: [BrainOutput] = []
    private var body: [BrainOutput] = []
    private var spoken = false
    private var visited: [String] = []

    init(flow: Flow, conversation: Conversation, hour: Int, tools: (any FlowToolRunner)?, emit: @escaping ([BrainOutput]) -> Void) {
        self.flow = flow
        self.tools = tools
        self.emit = emit
        language = conversation.language
        variables = conversation.variables
        renderer = PromptRenderer(
            language: conversation.language, callerNumber: conversation.callerNumber, hour: hour,
            variables: flow.variables.merging(conversation.variables) { _, call in call })
    }

    /// State changes first, then text and call actions in order (what is not emitted yet).
    var outputs: [BrainOutput] { bookkeeping + body }

    mutating func enter(_ name: String) async throws(FlowRunError) {
        visited.append(name)
        guard visited.count <= FlowBrain.maximumHops else { throw .gotoLoop(states: visited) }
        // The loader guarantees targets exist; a vanished one can only be a call variable
        // pointing nowhere, which starts over.
        let name = flow.states[name] == nil ? flow.start : name
        guard let state = flow.states[name] else { return }
        remember(FlowBrain.stateVariable, name)
        remember(FlowBrain.noMatchVariable, "0")
        say(state.prompt)
        try await run(state.onEnter)
    }

    mutating func choose(_ input: FlowInput) async throws(FlowRunError) {
        if variables[FlowBrain.noMatchVariable] != "0" { remember(FlowBrain.noMatchVariable, "0") }
        try await run(input.steps)
    }

    mutating func noMatch(in state: FlowState) async throws(FlowRunError) {
        let fallback = state.noMatch ?? flow.noMatch
        let count = (variables[FlowBrain.noMatchVariable].flatMap { Int($0) } ?? 0) + 1
        if count <= fallback.retries || fallback.steps.isEmpty {
            remember(FlowBrain.noMatchVariable, String(count))
            askAgain(state, after: fallback.message)
        } else {
            remember(FlowBrain.noMatchVariable, "0")
            if let message = fallback.message { say(message) }
            try await run(fallback.steps)
        }
    }

    mutating func noInput(attempt: Int, in state: FlowState) async throws(FlowRunError) {
        let fallback = state.noInput ?? flow.noInput
        if attempt <= fallback.retries || fallback.steps.isEmpty {
            askAgain(state, after: fallback.message)
        } else {
            if let message = fallback.message { say(message) }
            try await run(fallback.steps)
        }
    }

    mutating func say(_ text: LocalizedText) {
        guard let template = text.text(for: language, fallbackLanguages: flow.languages) else { return }
        let rendered = renderer.render(template)
        guard !rendered.isEmpty else { return }
        // Consecutive texts form one reply: separate them like sentences.
        body.append(.text(spoken ? " " + rendered : rendered))
        spoken = true
    }

    private mutating func askAgain(_ state: FlowState, after message: LocalizedText?) {
        if let message { say(message) }
        say(state.reprompt ?? state.prompt)
    }

    private mutating func run(_ steps: [FlowStep]) async throws(FlowRunError) {
        for step in steps {
            switch step {
            case .say(let text):
                say(text)
            case .set(let name, let value):
                let rendered = renderer.render(value, sentence: false)
                renderer.variables[name] = rendered
                variables[name] = rendered
                body.append(.action(.setVariable(name: name, value: rendered)))
            case .goto(let state):
                try await enter(state)
            case .transfer(let destination):
                body.append(.action(.transfer(destination: renderer.render(destination, sentence: false))))
            case .hangUp(let reason):
                body.append(.action(.hangUp(reason: reason)))
            case .tool(let call):
                try await runTool(call)
            }
        }
    }

    /// Hands over what was said so far (the caller hears it while the tool runs), runs the
    /// tool and goes on with its branch; `{result.<field>}` holds the answer's fields.
    private mutating func runTool(_ call: FlowToolCall) async throws(FlowRunError) {
        emit(outputs)
        bookkeeping = []
        body = []
        let arguments = call.arguments.mapValues { renderer.render($0, sentence: false, spoken: false) }
        let result = await tools?.run(tool: call.name, arguments: arguments) ?? .failure("tool \(call.name) is not configured")
        switch result {
        case .success(let fields):
            for (field, value) in fields { renderer.variables[FlowToolCall.resultPrefix + field] = value }
            try await run(call.onSuccess)
        case .failure:
            try await run(call.onError)
        }
    }

    private mutating func remember(_ name: String, _ value: String) {
        variables[name] = value
        bookkeeping.removeAll { if case .action(.setVariable(name, _)) = $0 { true } else { false } }
        bookkeeping.append(.action(.setVariable(name: name, value: value)))
    }
}
