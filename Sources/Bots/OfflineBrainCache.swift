import Flows
import Settings
import Synchronization
import Voice

/// Loads each flow (and the echo brain) once and shares it: flow brains keep their per-call
/// state in the conversation, so one instance serves every call.
public final class OfflineBrainCache: Sendable {
    private let brains = Mutex<[String: any DialogBrain]>([:])

    public init() {}

    /// The brain for `choice`, loaded on first use; nil for bots that have no offline brain.
    /// - Throws: the flow's load problems (file, line and what is wrong).
    public func brain(for choice: BotChoice) throws -> (any DialogBrain)? {
        let key = choice.description
        if let cached = brains.withLock({ $0[key] }) { return cached }
        guard let brain = try OfflineBrains.brain(for: choice) else { return nil }
        brains.withLock { $0[key] = brain }
        return brain
    }
}
