/// What a state does when the caller's answer matches nothing (no-match) or never comes
/// (no-input).
///
/// The first ``retries`` times the bot says ``message`` and asks again; the next time it runs
/// ``steps`` (the fallback: a transfer to a human, a goodbye and hang-up, another state).
public struct FlowFallback: Sendable, Equatable {
    /// Said before asking again (e.g. "Sorry, I did not understand.").
    public var message: LocalizedText?
    /// How many times the state asks again before falling back.
    public var retries: Int
    /// The fallback; empty means asking again forever.
    public var steps: [FlowStep]

    /// Says `message` and asks again `retries` times, then runs `steps`.
    public init(message: LocalizedText? = nil, retries: Int, steps: [FlowStep]) {
        self.message = message
        self.retries = retries
        self.steps = steps
    }

    /// Asks twice more, then hangs up.
    public static let defaultNoMatch = FlowFallback(retries: 2, steps: [.hangUp(reason: "no match")])
    /// Asks twice more, then hangs up.
    public static let defaultNoInput = FlowFallback(retries: 2, steps: [.hangUp(reason: "no input")])
}
