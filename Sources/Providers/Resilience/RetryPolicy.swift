import Foundation

/// When and how long to wait before trying a failed provider request again.
///
/// Exponential backoff with jitter, honouring a server's `Retry-After`, bounded by a budget:
/// a retry whose wait would end past the budget is not made, so the fallback chain gets its
/// turn while the caller still waits for an answer.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// The wait before the first retry; it doubles with each further one.
    public var baseDelay: Duration
    /// The longest computed wait (a server's Retry-After may ask for more, within the budget).
    public var maxDelay: Duration
    /// Time from the first attempt past which no retry starts.
    public var budget: Duration

    public init(maxRetries: Int = 2, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(2), budget: Duration = .seconds(4)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.budget = budget
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxRetries: 0, budget: .zero)

    /// The wait before retry number `retry` (1-based), or nil when no retry should be made.
    /// - Parameters:
    ///   - elapsed: time since the first attempt started.
    ///   - retryAfter: the server's requested wait, when it gave one.
    ///   - jitter: a value in 0...1; the computed wait is scaled into its upper half.
    public func delay(beforeRetry retry: Int, elapsed: Duration, retryAfter: Duration?, jitter: Double) -> Duration? {
        guard retry <= maxRetries else { return nil }
        let wait: Duration
        if let retryAfter {
            wait = retryAfter
        } else {
            let exponential = baseDelay * (1 << min(retry - 1, 20))
            wait = min(exponential, maxDelay) * (0.5 + 0.5 * min(max(jitter, 0), 1))
        }
        guard elapsed + wait < budget else { return nil }
        return wait
    }

    /// Parses a `Retry-After` header given in seconds (the HTTP-date form is not used by the
    /// providers ura talks to and counts as absent).
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite else {
            return nil
        }
        return .milliseconds(Int(seconds * 1000))
    }
}
