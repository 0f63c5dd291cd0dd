/// How a call ended; the label of `ura_calls_total` and the `outcome` filter of the call list.
///
/// The raw values are the stable words the operator API, the database and the metrics use; they
/// are the same words as `Calls`' `CallEnd.outcome`.
public enum CallOutcome: String, Codable, Sendable, CaseIterable {
    /// The conversation ended normally: the bot said goodbye and hung up.
    case completed
    /// The caller hung up.
    case callerHangup = "caller_hangup"
    /// Asterisk no longer had the caller when ura looked (after an ARI reconnect).
    case callerGone = "caller_gone"
    /// An operator hung the call up through the API.
    case operatorHangup = "operator_hangup"
    /// The call was handed to another extension or endpoint.
    case transferred
    /// The externalMedia channel died under the call.
    case mediaLost = "media_lost"
    /// ura could not carry the call (provider or ARI failure).
    case failed
    /// ura refused the call before answering (no free port, shutting down).
    case rejected
    /// An outbound call the far end did not answer.
    case unanswered
    /// The call was still up when ura shut down and was sent on or hung up.
    case shutdown
    /// ura stopped without ending the call (a crash, a kill) and the caller was gone when ura
    /// started again; the record keeps every turn saved before, and ends when ura found it.
    case lost
}
