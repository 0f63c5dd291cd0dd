import CallRecords
import CallRecordsPostgres
import CallRecordsTesting
import Foundation
import Testing

/// Every store behaviour, on SQLite and on a real PostgreSQL server (``TestPostgres``).
@Suite struct CallRecordStoreTests {
    enum Backend: String, CaseIterable, Sendable {
        case sqlite, postgres

        func makeStore() async throws -> any CallRecordStore {
            switch self {
            case .sqlite: try SQLiteCallRecordStore(path: ":memory:")
            case .postgres: try await PostgresCallRecordStore(url: PostgresURL(TestPostgres.newDatabaseURL()))
            }
        }
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appending(path: "ura-records-\(UUID().uuidString).sqlite").path
    }

    @Test(arguments: Backend.allCases) func recordReadsBackAsWritten(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let record = SampleRecords.call(id: "c1")
        try await store.save(record)
        #expect(try await store.record(id: "c1") == record)
        #expect(try await store.record(id: "missing") == nil)
    }

    @Test func recordsSurviveClosingAndReopeningTheFile() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let record = SampleRecords.call(id: "persisted")
        do {
            let store = try SQLiteCallRecordStore(path: path)
            try await store.save(record)
            try store.close()
        }
        let reopened = try SQLiteCallRecordStore(path: path)
        defer { try? reopened.close() }
        #expect(try await reopened.record(id: "persisted") == record)
    }

    @Test(arguments: Backend.allCases) func savingAgainReplacesTheWholeRecord(backend: Backend) async throws {
        let store = try await backend.makeStore()
        var record = SampleRecords.call(id: "c1", outcome: nil)
        try await store.save(record)
        record.turns.removeLast()
        record.endedAt = record.startedAt.addingTimeInterval(10)
        record.outcome = .transferred
        record.cost.lines = []
        try await store.save(record)
        let read = try #require(try await store.record(id: "c1"))
        #expect(read == record)
        #expect(read.turns.count == 1)
    }

    @Test(arguments: Backend.allCases) func aTurnCutByTheCallsEndReadsBackWithItsCause(backend: Backend) async throws {
        let store = try await backend.makeStore()
        var record = SampleRecords.call(id: "cut", outcome: .callerHangup)
        record.turns.append(Turn(
            index: 2, startedAt: record.startedAt.addingTimeInterval(20), callerTranscript: "opening hours", botText: "We are open",
            interrupted: true, cutBy: "caller_hangup"))
        try await store.save(record)
        let read = try #require(try await store.record(id: "cut"))
        #expect(read.turns.map(\.cutBy) == [nil, "barge_in", "caller_hangup"])
        #expect(read == record)
    }

    @Test(arguments: Backend.allCases) func recordsLeftActiveAreClosedAsLostUnlessACallStillCarriesThem(backend: Backend) async throws {
        let store = try await backend.makeStore()
        try await store.save(SampleRecords.call(id: "carried", outcome: nil))
        try await store.save(SampleRecords.call(id: "gone", startedAfter: 10, outcome: nil))
        let finished = SampleRecords.call(id: "finished", startedAfter: 20, outcome: .completed)
        try await store.save(finished)
        let now = SampleRecords.base.addingTimeInterval(3600)
        let closed = try await store.closeLostRecords(of: nil, at: now) { $0.id == "carried" }
        #expect(closed.map(\.id) == ["gone"])
        let gone = try #require(try await store.record(id: "gone"))
        #expect(gone.outcome == .lost && gone.endedAt == now && !gone.isActive)
        #expect(gone.turns == SampleRecords.call(id: "gone", startedAfter: 10).turns)
        #expect(gone.timeline.last?.kind == "ended")
        #expect(try await store.record(id: "carried")?.isActive == true)
        #expect(try await store.record(id: "finished") == finished)
        #expect(try await store.records(matching: CallRecordQuery(outcome: .lost)).map(\.id) == ["gone"])
        // Closing again finds nothing more to close.
        #expect(try await store.closeLostRecords(of: nil, at: now) { $0.id == "carried" }.isEmpty)
    }

    @Test(arguments: Backend.allCases) func theActiveRecordOfACallersChannelIsFound(backend: Backend) async throws {
        let store = try await backend.makeStore()
        try await store.save(SampleRecords.call(id: "old", outcome: .callerHangup))
        #expect(try await store.activeRecord(channelID: "chan-old") == nil)
        try await store.save(SampleRecords.call(id: "up", outcome: nil))
        #expect(try await store.activeRecord(channelID: "chan-up")?.id == "up")
        #expect(try await store.activeRecord(channelID: "chan-none") == nil)
    }

    struct FilterCase: Sendable, CustomStringConvertible {
        let description: String
        let query: CallRecordQuery
        let expected: [String]
    }

    static let filterCases: [FilterCase] = [
        FilterCase(description: "all, newest first", query: CallRecordQuery(), expected: ["d", "c", "b", "a", "e"]),
        FilterCase(description: "outcome", query: CallRecordQuery(outcome: .callerHangup), expected: ["c", "b"]),
        FilterCase(description: "caller", query: CallRecordQuery(callerNumber: "1001"), expected: ["d", "a"]),
        FilterCase(
            description: "from inclusive, to exclusive",
            query: CallRecordQuery(from: SampleRecords.base.addingTimeInterval(60), to: SampleRecords.base.addingTimeInterval(180)),
            expected: ["c", "b"]),
        FilterCase(description: "limit", query: CallRecordQuery(limit: 1), expected: ["d"]),
        FilterCase(description: "combined", query: CallRecordQuery(outcome: .callerHangup, callerNumber: "1002"), expected: ["b"]),
        FilterCase(description: "active only", query: { var query = CallRecordQuery(); query.activeOnly = true; return query }(), expected: ["e"]),
        FilterCase(
            description: "other instances' (unnamed ones left out)",
            query: { var query = CallRecordQuery(); query.otherThanInstance = "ura-1"; return query }(), expected: ["d", "b", "e"]),
    ]

    @Test(arguments: Backend.allCases, filterCases) func listFilters(backend: Backend, _ filter: FilterCase) async throws {
        let store = try await backend.makeStore()
        func call(_ id: String, _ caller: String?, _ startedAfter: TimeInterval, _ outcome: CallOutcome?, instance: String?) -> CallRecord {
            var record = SampleRecords.call(id: id, caller: caller, startedAfter: startedAfter, outcome: outcome)
            record.instance = instance
            return record
        }
        try await store.save(call("a", "1001", 0, .completed, instance: "ura-1"))
        try await store.save(call("b", "1002", 60, .callerHangup, instance: "ura-2"))
        try await store.save(call("c", nil, 120, .callerHangup, instance: nil))
        try await store.save(call("d", "1001", 180, .failed, instance: "ura-2"))
        try await store.save(call("e", "1003", -60, nil, instance: "ura-2"))
        #expect(try await store.records(matching: filter.query).map(\.id) == filter.expected)
    }

    @Test(arguments: Backend.allCases) func retentionDeletesOnlyCallsOlderThanThePeriod(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let day = 86_400.0
        try await store.save(SampleRecords.call(id: "old", startedAfter: -31 * day))
        try await store.save(SampleRecords.call(id: "recent", startedAfter: -29 * day))
        let retention = CallRecordRetention(store: store, days: 30, now: { SampleRecords.base })
        #expect(try await retention.prune() == 1)
        #expect(try await store.record(id: "old") == nil)
        #expect(try await store.record(id: "recent") != nil)
        #expect(try await retention.prune() == 0)
    }

    @Test(arguments: Backend.allCases)
    func anInstanceClosesOnlyItsOwnLostRecords(backend: Backend) async throws {
        let store = try await backend.makeStore()
        var mine = SampleRecords.call(id: "mine", outcome: nil)
        mine.instance = "ura-1"
        var theirs = SampleRecords.call(id: "theirs", outcome: nil)
        theirs.instance = "ura-2"
        theirs.ownerURL = "http://10.0.0.2:8080"
        try await store.save(mine)
        try await store.save(theirs)
        let closed = try await store.closeLostRecords(of: "ura-1", at: SampleRecords.base.addingTimeInterval(60)) { _ in false }
        #expect(closed.map(\.id) == ["mine"])
        let read = try #require(try await store.record(id: "theirs"))
        #expect(read.isActive && read.instance == "ura-2" && read.ownerURL == "http://10.0.0.2:8080")
    }

    @Test func twoInstancesWriteOnePostgreSQLDatabaseAtOnce() async throws {
        let url = try PostgresURL(TestPostgres.newDatabaseURL())
        // Both start (and migrate) at the same moment, as two instances deployed together do.
        async let first = PostgresCallRecordStore(url: url)
        async let second = PostgresCallRecordStore(url: url)
        let stores = try await [first, second]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for call in 0..<50 {
                        var record = SampleRecords.call(id: "i\(index)-c\(call)", startedAfter: Double(call), outcome: nil)
                        record.instance = "ura-\(index)"
                        try await store.save(record)
                        record.endedAt = record.startedAt.addingTimeInterval(30)
                        record.outcome = .completed
                        try await store.save(record)
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = try await stores[0].records(matching: CallRecordQuery(limit: 500))
        #expect(all.count == 100, "no record lost between the two writers")
        #expect(all.allSatisfy { $0.outcome == .completed && $0.turns.count == 2 })
        #expect(Set(all.compactMap(\.instance)) == ["ura-0", "ura-1"])
        for store in stores { try await store.close() }
    }

    @Test func aBadPostgreSQLURLSaysWhatIsWrongWithoutThePassword() async throws {
        #expect(throws: PostgresURLError.self) { try PostgresURL("mysql://u:p@h/db") }
        #expect(throws: PostgresURLError.self) { try PostgresURL("postgresql://u:p@h/") }
        #expect(throws: PostgresURLError.self) { try PostgresURL("postgresql://h/db") }
        #expect(throws: PostgresURLError.self) { try PostgresURL("postgresql://u:p@h/db?sslmode=maybe") }
        let url = try PostgresURL("postgresql://ura:s3cr%40t@db.example:6543/calls?sslmode=require")
        #expect(url.password == "s3cr@t" && url.port == 6543 && url.database == "calls")
        #expect(!url.redacted.contains("s3cr"))
        // Nothing listens there: the open error names the server, never the password.
        let unreachable = try PostgresURL("postgresql://ura:hunter2@127.0.0.1:9/calls?sslmode=disable")
        do {
            _ = try await PostgresCallRecordStore(url: unreachable, openTimeout: .seconds(2))
            Issue.record("opened a store on a closed port")
        } catch {
            #expect("\(error)".contains("127.0.0.1:9") && !"\(error)".contains("hunter2"), "\(error)")
        }
    }

    @Test func aDirectoryThatDoesNotExistIsAnOpenError() {
        #expect(throws: CallRecordsError.self) {
            try SQLiteCallRecordStore(path: "/nonexistent-\(UUID().uuidString)/records.sqlite")
        }
    }
}
