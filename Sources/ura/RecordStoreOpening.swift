import CallRecords
import CallRecordsPostgres
import Foundation
import Logging
import Settings
import StructuredLogging

extension Configuration {
    /// The database `RECORDS_URL` names, read in full.
    /// - Throws: a ``ConfigurationError`` saying what is wrong with it (never its password).
    func sharedRecordsURL() throws(ConfigurationError) -> PostgresURL? {
        guard let url = records.url else { return nil }
        do {
            return try PostgresURL(url.reveal())
        } catch {
            throw ConfigurationError(
                variable: "RECORDS_URL", problem: error.description,
                example: "RECORDS_URL=postgresql://ura:secret@db.internal/ura?sslmode=require")
        }
    }

    /// The call records: the PostgreSQL database of `RECORDS_URL`, else the SQLite file of
    /// `RECORDS_PATH`.
    func openRecordStore(logger: Logger) async throws -> any CallRecordStore {
        if let url = try sharedRecordsURL() {
            return try await PostgresCallRecordStore(url: url, logger: logger)
        }
        return try SQLiteCallRecordStore(path: records.path)
    }

    /// Where the records are, for logs and `ura check` (no password).
    var recordsLocation: String {
        (try? sharedRecordsURL())??.redacted ?? records.path
    }
}
