/// Exponential reconnect delays with jitter, capped.
///
/// Attempt 1 waits about `initial`, each later attempt twice the previous, never more than
/// `maximum`. Each delay is scaled by a random factor in 0.5...1, so many clients that lost the
/// same server do not come back in lockstep.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before reconnect attempt `attempt` (1-based).
    /// - Parameter jitter: a factor in 0...1 (random in production, fixed in tests).
    public func delay(attempt: Int, jitter: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let uncapped = initial * (1 << exponent)
        let capped = min(uncapped, maximum)
        return capped * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }
}
