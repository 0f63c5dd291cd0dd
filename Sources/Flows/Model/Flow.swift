public import Settings

/// A scripted URA (IVR) dialog: named states, each with a prompt and the inputs it accepts.
///
/// Loaded and validated from YAML by ``FlowLoader``; run by ``FlowBrain``. A flow is an
/// immutable value shared by every call that uses it: per-call progress lives in the call's
/// ``Voice/Conversation/variables``.
public struct Flow: Sendable, Equatable {
    /// The flow's name, for logs ("clinica").
    public var name: String
    /// BCP 47 languages every prompt covers; the first is used when the call's language is
    /// none of them.
    public var languages: [String]
    /// The state a call starts in.
    public var start: String
    /// Values prompts can use as `{name}`, until a `set` step or the call's own variables
    /// override them.
    public var variables: [String: String]
    /// The states by name.
    public var states: [String: FlowState]
    /// No-match handling for states that define none.
    public var noMatch: FlowFallback
    /// No-input handling for states that define none.
    public var noInput: FlowFallback
    /// Said when the call ends for a reason of its own (maximum duration, repeated silence).
    public var goodbye: LocalizedText?
    /// Where the flow's `transfer` steps send callers, resolved with the flow's own variables
    /// (a call's variables may change them at run time; the call layer checks those).
    public var transferDestinations: Set<TransferDestination> = []
    /// The business tools (`TOOLS_FILE`) its `tool` steps call.
    public var toolNames: Set<String> = []

    /// A flow; ``FlowLoader`` builds validated ones from YAML.
    public init(
        name: String, languages: [String], start: String, variables: [String: String] = [:],
        states: [String: FlowState], noMatch: FlowFallback = .defaultNoMatch,
        noInput: FlowFallback = .defaultNoInput, goodbye: LocalizedText? = nil
    ) {
        self.name = name
        self.languages = languages
        self.start = start
        self.variables = variables
        self.states = states
        self.noMatch = noMatch
        self.noInput = noInput
        self.goodbye = goodbye
    }
}
