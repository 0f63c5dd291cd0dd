import Foundation
import GRDB

/// Calls kept in an SQLite file, from their start: a running call's record (no end, no outcome)
/// is saved again as it goes, so what a crash leaves is found and closed on the next start
/// (``closeLostRecords(of:at:isLive:)``).
///
/// Each ``save(_:)`` replaces the whole record of one call in one transaction, so a reader never
/// sees a call with half its turns. The schema is created and upgraded by ``CallRecordSchema``'s
/// migrations when the store opens.
///
/// - Important: GRDB's queue serialises every access on its own dispatch queue; the async
///   methods suspend the caller without blocking the cooperative pool. Call ``close()`` when done
///   (tests reopen the same file afterwards); a closed store throws on every call.
public final class SQLiteCallRecordStore: CallRecordStore {
    private let database: DatabaseQueue

    /// Opens (creating and migrating if needed) the store at `path`; `:memory:` keeps it in memory.
    /// - Throws: ``CallRecordsError/open(path:reason:)``.
    public init(path: String) throws(CallRecordsError) {
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.label = "ura-call-records"
            // Another process reading the file (sqlite3, a backup, a test) holds its lock briefly:
            // wait for it rather than lose a save.
            configuration.busyMode = .timeout(2)
            database = path == ":memory:" ? try DatabaseQueue(configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
            try CallRecordSchema.migrator.migrate(database)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
    }

    /// Writes the record, replacing any earlier version of the same call.
    public func save(_ record: CallRecord) async throws(CallRecordsError) {
        try await perform("save \(record.id)") { db in try CallRecordRows.write(record, into: db) }
    }

    /// The record with this id, or nil.
    public func record(id: String) async throws(CallRecordsError) -> CallRecord? {
        try await performRead("read \(id)") { db in try CallRecordRows.read(id: id, from: db) }
    }

    /// Records matching the query, newest first.
    public func records(matching query: CallRecordQuery) async throws(CallRecordsError) -> [CallRecord] {
        try await performRead("list") { db in try CallRecordRows.read(matching: query, from: db) }
    }

    /// The most recent record of this caller's channel still marked active, or nil.
    public func activeRecord(channelID: String) async throws(CallRecordsError) -> CallRecord? {
        try await performRead("read active \(channelID)") { db in try CallRecordRows.readActive(channelID: channelID, from: db).last }
    }

    @discardableResult
    public func closeLostRecords(
        of instance: String?, at date: Date, detail: String, isLive: @escaping @Sendable (CallRecord) -> Bool
    ) async throws(CallRecordsError) -> [CallRecord] {
        try await perform("close lost records") { db in
            var closed: [CallRecord] = []
            for var record in try CallRecordRows.readActive(instance: .some(instance), from: db) where !isLive(record) {
                record.endedAt = date
                record.outcome = .lost
                record.timeline.append(TimelineEvent(at: date, kind: "ended", detail: detail))
                try CallRecordRows.write(record, into: db)
                closed.append(record)
            }
            return closed
        }
    }

    /// Deletes the calls that started before `date`, with their turns, costs and timelines.
    /// - Returns: how many calls were deleted.
    @discardableResult
    public func deleteRecords(startedBefore date: Date) async throws(CallRecordsError) -> Int {
        try await perform("delete old records") { db in
            try db.execute(sql: "DELETE FROM call WHERE started_at < ?", arguments: [date])
            return db.changesCount
        }
    }

    /// Closes the database file. Idempotent.
    public func close() throws(CallRecordsError) {
        do {
            try database.close()
        } catch {
            throw .database(operation: "close", reason: "\(error)")
        }
    }

    private func perform<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CallRecordsError) -> T {
        do {
            return try await database.write(body)
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }

    private func performRead<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CallRecordsError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }
}
