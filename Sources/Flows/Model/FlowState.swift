/// One step of a ``Flow``: what the bot says on entering it and what it then accepts.
public struct FlowState: Sendable, Equatable {
    /// Said on entering the state.
    public var prompt: LocalizedText
    /// Said instead of ``prompt`` when the state asks again after a no-match or no-input.
    public var reprompt: LocalizedText?
    /// Run right after the prompt (a state that only informs, then moves on or hangs up).
    public var onEnter: [FlowStep]
    /// What the caller can answer, in order of preference.
    public var inputs: [FlowInput]
    /// Overrides the flow's no-match handling.
    public var noMatch: FlowFallback?
    /// Overrides the flow's no-input handling.
    public var noInput: FlowFallback?

    /// A state saying `prompt`, then running `onEnter` and waiting for `inputs`.
    public init(
        prompt: LocalizedText, reprompt: LocalizedText? = nil, onEnter: [FlowStep] = [], inputs: [FlowInput] = [],
        noMatch: FlowFallback? = nil, noInput: FlowFallback? = nil
    ) {
        self.prompt = prompt
        self.reprompt = reprompt
        self.onEnter = onEnter
        self.inputs = inputs
        self.noMatch = noMatch
        self.noInput = noInput
    }
}
