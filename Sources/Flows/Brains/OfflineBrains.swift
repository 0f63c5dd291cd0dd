public import Settings
public import Voice

/// Builds the brain a ``Settings/BotChoice`` names, for the brains that need no network.
public enum OfflineBrains {
    /// A flow the call asked for that is not loaded.
    public struct UnknownFlow: Error, CustomStringConvertible {
        public let name: String
        public let directory: String
        public var description: String { "no flow named \"\(name)\" is loaded from \(directory)" }
    }

    /// The echo bot or the flow for `choice` from `library`; nil for `loopback` (no brain:
    /// media only) and `llm` (built by the LLM provider). Reads no file.
    /// - Parameter tools: what runs flows' `tool` steps.
    /// - Throws: ``UnknownFlow`` when the library has no such flow.
    public static func brain(
        for choice: BotChoice, in library: FlowLibrary, tools: (any FlowToolRunner)? = nil
    ) throws(UnknownFlow) -> (any DialogBrain)? {
        switch choice {
        case .echo: return EchoBrain()
        case .flow(let name):
            guard let flow = library.flow(named: name) else { throw UnknownFlow(name: name, directory: library.directory) }
            return FlowBrain(flow: flow, tools: tools)
        case .loopback, .llm, .realtime: return nil
        }
    }
}
