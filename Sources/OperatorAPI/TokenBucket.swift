import Synchronization

/// A token bucket: at most ``capacity`` takes at once, refilled at ``perSecond`` tokens a second.
///
/// Thread-safe; ``take()`` never waits, it answers how long until a token is there.
final class TokenBucket: Sendable {
    /// The burst: tokens the bucket holds when full.
    let capacity: Double
    /// Tokens added per second.
    let perSecond: Double
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<(tokens: Double, updated: ContinuousClock.Instant)>

    /// - Parameter now: the clock (tests pass their own).
    init(capacity: Int, perSecond: Double, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.capacity = Double(max(1, capacity))
        self.perSecond = max(perSecond, .leastNonzeroMagnitude)
        self.now = now
        state = Mutex((Double(max(1, capacity)), now()))
    }

    /// Takes a token: nil when one was there, else the whole seconds (at least 1) until one will be.
    func take() -> Int? {
        let instant = now()
        return state.withLock { state in
            let elapsed = instant - state.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(capacity, state.tokens + max(0, seconds) * perSecond)
            state.updated = max(state.updated, instant)
            guard state.tokens >= 1 else {
                let wait = ((1 - state.tokens) / perSecond).rounded(.up)
                return Int(min(max(wait, 1), 86_400))
            }
            state.tokens -= 1
            return nil
        }
    }
}
