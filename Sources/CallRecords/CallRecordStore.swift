import Foundation

/// Where call records are kept: an SQLite file (``SQLiteCallRecordStore``, the embedded default)
/// or a PostgreSQL database several instances share (`RECORDS_URL`).
///
/// Records are kept from a call's start (active: no end, no outcome) and saved whole again as it
/// goes, so a reader never sees half a record. Every store has the same tables and migrations.
public protocol CallRecordStore: Sendable {
    /// Writes the record, replacing any earlier version of the same call.
    func save(_ record: CallRecord) async throws(CallRecordsError)
    /// The record with this id, or nil.
    func record(id: String) async throws(CallRecordsError) -> CallRecord?
    /// Records matching the query, newest first.
    func records(matching query: CallRecordQuery) async throws(CallRecordsError) -> [CallRecord]
    /// The most recent record of this caller's channel still marked active, or nil.
    func activeRecord(channelID: String) async throws(CallRecordsError) -> CallRecord?
    /// Ends every record of `instance` (or of no instance: written before records named theirs)
    /// still marked active that `isLive` does not claim: outcome ``CallOutcome/lost``,
    /// ended `at`, `detail` as its last timeline entry. Records of other instances sharing the
    /// store are theirs to close. `isLive` is asked inside the write transaction, so a call that
    /// starts meanwhile is either claimed or not yet in the store.
    /// - Returns: the records it closed, as closed.
    @discardableResult
    func closeLostRecords(
        of instance: String?, at date: Date, detail: String, isLive: @escaping @Sendable (CallRecord) -> Bool
    ) async throws(CallRecordsError) -> [CallRecord]
    /// Deletes the calls that started before `date`, with their turns, costs and timelines.
    /// - Returns: how many calls were deleted.
    @discardableResult
    func deleteRecords(startedBefore date: Date) async throws(CallRecordsError) -> Int
    /// Lets go of the file or connections; a closed store throws on every call.
    func close() async throws(CallRecordsError)
}

extension CallRecordStore {
    /// Why a record an instance finds active when it starts again was lost.
    public static var restartDetail: String { "lost: ura stopped during the call and the caller was gone when it started again" }

    /// ``closeLostRecords(of:at:detail:isLive:)`` for an instance starting again.
    @discardableResult
    public func closeLostRecords(
        of instance: String?, at date: Date, isLive: @escaping @Sendable (CallRecord) -> Bool
    ) async throws(CallRecordsError) -> [CallRecord] {
        try await closeLostRecords(of: instance, at: date, detail: Self.restartDetail, isLive: isLive)
    }
}
