import CallRecords
import Settings

/// What the operator API asks of the part of ura that owns live calls.
///
/// `Calls` conforms to it; the API never touches ARI or media itself. Methods are called from
/// request handlers on any task, concurrently.
///
/// Calls the protocol does not know (ended, never existed) throw ``CallControlError/unknownCall(id:)``;
/// the API then looks in the call records to tell "ended" from "never existed".
public protocol CallControl: Sendable {
    /// Snapshots of the calls that are up now (``CallRecord/outcome`` nil).
    func activeCalls() async -> [CallRecord]

    /// Records of calls that have ended whose final save has not reached the store yet (it
    /// is written off the call's path): a list shows them as ended, so that no call drops out of
    /// it between its end and its save.
    func endedCallsBeingSaved() async -> [CallRecord]

    /// A snapshot of one call that is up now, or nil.
    func snapshot(callID: String) async -> CallRecord?

    /// Hangs the call up (the record's outcome becomes ``CallOutcome/operatorHangup``).
    /// - Throws: ``CallControlError``.
    func hangUp(callID: String) async throws(CallControlError)

    /// Speaks `text` on the call now: cutting off what the bot is saying when `interrupt`,
    /// otherwise after it.
    /// - Throws: ``CallControlError``.
    func say(callID: String, text: String, interrupt: Bool) async throws(CallControlError)

    /// Sends the caller to `destination` (an extension in the dialplan, or an endpoint such as `PJSIP/1002`).
    /// - Throws: ``CallControlError``.
    func transfer(callID: String, destination: TransferDestination) async throws(CallControlError)

    /// Places an outbound call that enters the bot when answered.
    /// - Returns: the new call's id, valid at once for ``snapshot(callID:)`` and the events stream.
    /// - Throws: ``CallControlError``.
    func originate(_ request: OriginateRequest) async throws(CallControlError) -> String
}
