@testable import CallRecords
import CallRecordsTesting
import Foundation
import GRDB
import Testing

/// Files written by an earlier ura open in this one with their records intact.
@Suite struct CallRecordMigrationTests {
    /// The layout the first migration made, as a shipped ura left it on disk, with one call.
    static func writeVersion1File(at path: String) throws {
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        try CallRecordSchema.migrator.migrate(database, upTo: "v1: calls, turns, cost lines, timeline")
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO call VALUES ('old', '1001', 'chan-old', 'echo', '2026-11-01 10:00:00.000', NULL, '2026-11-01 10:01:00.000',
                    'caller_hangup', 10, 0, 0, 1.5, 'USD', 0);
                INSERT INTO turn VALUES ('old', 0, '2026-11-01 10:00:02.000', 'opening hours', 2, 'We are open', 1, 0, 120, NULL, NULL, NULL, 30);
                """)
        }
    }

    @Test func aVersion1FileGainsTurnCausesAndKeepsItsCalls() async throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "ura-records-v1-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeVersion1File(at: path)

        let store = try SQLiteCallRecordStore(path: path)
        defer { try? store.close() }
        let old = try #require(try await store.record(id: "old"))
        #expect(old.outcome == .callerHangup)
        #expect(old.turns.map(\.callerTranscript) == ["opening hours"])
        #expect(old.turns.first?.interrupted == true && old.turns.first?.cutBy == nil)
        // The new column takes what this ura writes.
        var running = SampleRecords.call(id: "running", outcome: nil)
        running.turns[1].cutBy = "caller_hangup"
        try await store.save(running)
        #expect(try await store.record(id: "running") == running)
        #expect(try await store.activeRecord(channelID: "chan-running")?.id == "running")
    }
}
