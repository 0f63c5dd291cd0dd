public import Settings
public import Voice

/// Builds the brain a ``Settings/BotChoice`` names, for the brains that need no network.
public enum OfflineBrains {
    /// The echo bot or the loaded flow for `choice`; nil for `loopback` (no brain: media
    /// only) and `llm` (built by the LLM provider).
    ///
    /// Load flows once at startup and share the brain: it is stateless.
    /// - Throws: ``FlowLoadError`` when the flow file is missing or invalid.
    public static func brain(for choice: BotChoice) throws(FlowLoadError) -> (any DialogBrain)? {
        switch choice {
        case .echo: EchoBrain()
        case .flow(let path): FlowBrain(flow: try FlowLoader.load(path: path))
        case .loopback, .llm: nil
        }
    }
}
