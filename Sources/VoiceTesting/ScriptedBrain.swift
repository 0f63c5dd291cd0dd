import Synchronization
import Voice

/// A brain whose replies come from a closure, streamed word by word with set delays.
public final class ScriptedBrain: DialogBrain {
    public let name = "scripted"
    private let reply: @Sendable (BrainInput, Conversation) -> [BrainOutput]
    private let firstTokenDelay: Duration
    private let tokenDelay: Duration
    private let failure: (any Error & Sendable)?
    private let failsOn: (@Sendable (BrainInput) -> Bool)?
    private let seen = Mutex<[(BrainInput, Conversation)]>([])
    private let recordsTurns: Bool

    /// - Parameters:
    ///   - failure: thrown instead of a reply (after `firstTokenDelay`), on the turns `failsOn`
    ///     picks (every turn when it is nil).
    ///   - recordsTurns: keep every turn for ``turns``; off for long runs, as each one holds the
    ///     whole conversation so far (memory grows with the square of the turns).
    public init(
        firstTokenDelay: Duration = .zero, tokenDelay: Duration = .zero, failure: (any Error & Sendable)? = nil,
        failsOn: (@Sendable (BrainInput) -> Bool)? = nil, recordsTurns: Bool = true,
        reply: @escaping @Sendable (BrainInput, Conversation) -> [BrainOutput]
    ) {
        self.reply = reply
        self.recordsTurns = recordsTurns
        self.firstTokenDelay = firstTokenDelay
        self.tokenDelay = tokenDelay
        self.failure = failure
        self.failsOn = failsOn
    }

    /// Every turn asked of the brain, with the conversation as it was then.
    public var turns: [(input: BrainInput, conversation: Conversation)] { seen.withLock { $0 } }

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        if recordsTurns { seen.withLock { $0.append((input, conversation)) } }
        let outputs = reply(input, conversation)
        let thrown = failsOn?(input) ?? true ? failure : nil
        let time = FakeTime.current
        return time.stream { [self] continuation in
            try await time.wait(firstTokenDelay)
            if let thrown { throw thrown }
            for output in outputs {
                switch output {
                case .text(let text):
                    // Word by word, as a language model would stream it.
                    for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                        if index > 0 { try await time.wait(tokenDelay) }
                        continuation.yield(.text(index == 0 ? String(word) : " " + word))
                    }
                case .action:
                    continuation.yield(output)
                }
            }
        }
    }
}
