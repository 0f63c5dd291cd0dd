import Voice

/// A ``DialogBrain`` that tries brains in order until one answers.
///
/// A brain that fails before yielding anything is skipped for the next; once a brain has
/// yielded, its failure is the turn's (the caller may have heard half a reply, and a second
/// brain's answer would not follow from it). When every brain fails, the stream fails with
/// ``ProviderError/allProvidersFailed(role:failures:)`` and the pipeline apologises.
public struct FallbackBrain: DialogBrain {
    public let name: String
    let brains: [any DialogBrain]
    let stats: ProviderStats?

    public init(_ brains: [any DialogBrain], stats: ProviderStats? = nil) {
        self.brains = brains
        self.stats = stats
        self.name = brains.map(\.name).joined(separator: ">")
    }

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        Fallback.run(role: "llm", members: brains, name: \.name, stats: stats) { brain in
            brain.respond(to: input, in: conversation)
        }
    }
}
