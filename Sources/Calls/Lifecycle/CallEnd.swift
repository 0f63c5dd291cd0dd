import Settings

/// Why a call ended, as far as ura is concerned.
public enum CallEnd: Error, Sendable, Equatable {
    /// The caller hung up (or left Stasis on their own).
    case callerHangup
    /// Asterisk no longer had the caller when ura looked (after a reconnect).
    case callerGone
    /// The bot ended the call.
    case botHangup
    /// An operator hung the call up.
    case operatorHangup
    /// The caller was sent to `destination`.
    case transferred(String)
    /// ura is shutting down and the drain time is over; the caller is handled by the policy.
    case shutdown(RemainingCalls)
    /// The externalMedia channel died under the call.
    case mediaLost
    /// ura could not take the call (no free port, bot could not start); it went back to the dialplan.
    case rejected(String)
    /// An ARI request failed.
    case failed(String)

    /// The word a turn cut by this end carries in logs and call records (`Turn.cutBy`).
    public var turnCut: String {
        switch self {
        case .botHangup: "bot_hangup"
        default: outcome
        }
    }

    /// Short name for logs, metrics and call records.
    public var outcome: String {
        switch self {
        case .callerHangup: "caller_hangup"
        case .callerGone: "caller_gone"
        case .botHangup: "completed"
        case .operatorHangup: "operator_hangup"
        case .transferred: "transferred"
        case .shutdown: "shutdown"
        case .mediaLost: "media_lost"
        case .rejected: "rejected"
        case .failed: "failed"
        }
    }
}
