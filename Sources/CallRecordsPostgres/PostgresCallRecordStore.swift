import CallRecords
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Call records in a PostgreSQL database (`RECORDS_URL=postgresql://…`), which several ura
/// instances share: any instance lists the fleet's calls, and a survivor closes a dead
/// instance's records.
///
/// Same tables, migrations and behaviour as ``CallRecords/SQLiteCallRecordStore``; each save
/// replaces a call's whole record in one transaction. Migrations run under an advisory lock, so
/// instances starting together apply each once.
///
/// The store owns the connection pool's task: ``close()`` ends it.
public final class PostgresCallRecordStore: CallRecordStore {
    private let client: PostgresClient
    private let pool: Task<Void, Never>
    private let logger: Logger

    /// Connects to `url` and brings the schema up to date.
    /// - Throws: ``CallRecords/CallRecordsError/open(path:reason:)`` (the URL without its password).
    /// The pool retries an unreachable server forever; a service must instead refuse to start
    /// (or `ura check` must answer) within `openTimeout`.
    public init(
        url: PostgresURL, openTimeout: Duration = .seconds(15), logger: Logger = Logger(label: "ura.records.postgres")
    ) async throws(CallRecordsError) {
        self.logger = logger
        client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        let client = client
        pool = Task { await client.run() }
        do {
            try await Self.withDeadline(openTimeout) { try await Self.migrate(client, logger: logger) }
        } catch {
            pool.cancel()
            throw .open(path: url.redacted, reason: Self.describe(error))
        }
    }

    deinit { pool.cancel() }

    public func save(_ record: CallRecord) async throws(CallRecordsError) {
        try await perform("save \(record.id)") { client, logger in
            try await client.withTransaction(logger: logger) { connection in try await PostgresRows.write(record, on: connection, logger: logger) }
        }
    }

    public func record(id: String) async throws(CallRecordsError) -> CallRecord? {
        try await perform("read \(id)") { client, logger in
            try await client.withConnection { connection in
                try await PostgresRows.read(where: "id = $1", [id], on: connection, logger: logger).first
            }
        }
    }

    public func records(matching query: CallRecordQuery) async throws(CallRecordsError) -> [CallRecord] {
        try await perform("list") { client, logger in
            try await client.withConnection { connection in try await PostgresRows.read(matching: query, on: connection, logger: logger) }
        }
    }

    public func activeRecord(channelID: String) async throws(CallRecordsError) -> CallRecord? {
        try await perform("read active \(channelID)") { client, logger in
            try await client.withConnection { connection in
                try await PostgresRows.read(where: "ended_at IS NULL AND channel_id = $1", [channelID], on: connection, logger: logger).last
            }
        }
    }

    @discardableResult
    public func closeLostRecords(
        of instance: String?, at date: Date, detail: String, isLive: @escaping @Sendable (CallRecord) -> Bool
    ) async throws(CallRecordsError) -> [CallRecord] {
        try await perform("close lost records") { client, logger in
            try await client.withTransaction(logger: logger) { connection in
                // FOR UPDATE: another instance closing its own lost calls at the same moment waits.
                let active = try await PostgresRows.read(
                    where: "ended_at IS NULL AND (instance IS NOT DISTINCT FROM $1 OR instance IS NULL)", [instance],
                    lock: true, on: connection, logger: logger)
                var closed: [CallRecord] = []
                for var record in active where !isLive(record) {
                    record.endedAt = date
                    record.outcome = .lost
                    record.timeline.append(TimelineEvent(
                        at: date, kind: "ended", detail: detail))
                    try await PostgresRows.write(record, on: connection, logger: logger)
                    closed.append(record)
                }
                return closed
            }
        }
    }

    @discardableResult
    public func deleteRecords(startedBefore date: Date) async throws(CallRecordsError) -> Int {
        try await perform("delete old records") { client, logger in
            let rows = try await client.query("DELETE FROM call WHERE started_at < \(date) RETURNING id", logger: logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    public func close() async throws(CallRecordsError) {
        pool.cancel()
    }

    private func perform<T: Sendable>(
        _ operation: String, _ body: (PostgresClient, Logger) async throws -> T
    ) async throws(CallRecordsError) -> T {
        do {
            return try await body(client, logger)
        } catch {
            throw .database(operation: operation, reason: Self.describe(error))
        }
    }

    /// PSQLError's description hides the server's message unless asked; the message is what an operator needs.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "\(message) (\(error.serverInfo?[.sqlState] ?? "no code"))" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    struct Timeout: Error, CustomStringConvertible {
        let after: Duration
        var description: String { "no answer within \(after) (is the server up and the URL right?)" }
    }

    static func withDeadline(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(operation: body)
            group.addTask {
                try await Task.sleep(for: limit)
                throw Timeout(after: limit)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    // MARK: Migrations

    /// Key of the advisory lock migrations hold: instances starting together migrate one at a time.
    static let migrationLock: Int64 = 0x7572_615F_7265_6373 // "ura_recs"

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS ura_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM ura_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO ura_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}
