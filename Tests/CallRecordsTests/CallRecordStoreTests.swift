import CallRecords
import CallRecordsTesting
import Foundation
import Testing

@Suite struct CallRecordStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appending(path: "ura-records-\(UUID().uuidString).sqlite").path
    }

    @Test func recordReadsBackAsWritten() async throws {
        let store = try CallRecordStore(path: ":memory:")
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
            let store = try CallRecordStore(path: path)
            try await store.save(record)
            try store.close()
        }
        let reopened = try CallRecordStore(path: path)
        defer { try? reopened.close() }
        #expect(try await reopened.record(id: "persisted") == record)
    }

    @Test func savingAgainReplacesTheWholeRecord() async throws {
        let store = try CallRecordStore(path: ":memory:")
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

    @Test func aTurnCutByTheCallsEndReadsBackWithItsCause() async throws {
        let store = try CallRecordStore(path: ":memory:")
        var record = SampleRecords.call(id: "cut", outcome: .callerHangup)
        record.turns.append(Turn(
            index: 2, startedAt: record.startedAt.addingTimeInterval(20), callerTranscript: "opening hours", botText: "We are open",
            interrupted: true, cutBy: "caller_hangup"))
        try await store.save(record)
        let read = try #require(try await store.record(id: "cut"))
        #expect(read.turns.map(\.cutBy) == [nil, "barge_in", "caller_hangup"])
        #expect(read == record)
    }

    @Test func recordsLeftActiveAreClosedAsLostUnlessACallStillCarriesThem() async throws {
        let store = try CallRecordStore(path: ":memory:")
        try await store.save(SampleRecords.call(id: "carried", outcome: nil))
        try await store.save(SampleRecords.call(id: "gone", startedAfter: 10, outcome: nil))
        let finished = SampleRecords.call(id: "finished", startedAfter: 20, outcome: .completed)
        try await store.save(finished)
        let now = SampleRecords.base.addingTimeInterval(3600)
        let closed = try await store.closeLostRecords(at: now) { $0 == "carried" }
        #expect(closed.map(\.id) == ["gone"])
        let gone = try #require(try await store.record(id: "gone"))
        #expect(gone.outcome == .lost && gone.endedAt == now && !gone.isActive)
        #expect(gone.turns == SampleRecords.call(id: "gone", startedAfter: 10).turns)
        #expect(gone.timeline.last?.kind == "ended")
        #expect(try await store.record(id: "carried")?.isActive == true)
        #expect(try await store.record(id: "finished") == finished)
        #expect(try await store.records(matching: CallRecordQuery(outcome: .lost)).map(\.id) == ["gone"])
        // Closing again finds nothing more to close.
        #expect(try await store.closeLostRecords(at: now) { $0 == "carried" }.isEmpty)
    }

    @Test func theActiveRecordOfACallersChannelIsFound() async throws {
        let store = try CallRecordStore(path: ":memory:")
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
        FilterCase(description: "all, newest first", query: CallRecordQuery(), expected: ["d", "c", "b", "a"]),
        FilterCase(description: "outcome", query: CallRecordQuery(outcome: .callerHangup), expected: ["c", "b"]),
        FilterCase(description: "caller", query: CallRecordQuery(callerNumber: "1001"), expected: ["d", "a"]),
        FilterCase(
            description: "from inclusive, to exclusive",
            query: CallRecordQuery(from: SampleRecords.base.addingTimeInterval(60), to: SampleRecords.base.addingTimeInterval(180)),
            expected: ["c", "b"]),
        FilterCase(description: "limit", query: CallRecordQuery(limit: 1), expected: ["d"]),
        FilterCase(description: "combined", query: CallRecordQuery(outcome: .callerHangup, callerNumber: "1002"), expected: ["b"]),
    ]

    @Test(arguments: filterCases) func listFilters(_ filter: FilterCase) async throws {
        let store = try CallRecordStore(path: ":memory:")
        try await store.save(SampleRecords.call(id: "a", caller: "1001", startedAfter: 0, outcome: .completed))
        try await store.save(SampleRecords.call(id: "b", caller: "1002", startedAfter: 60, outcome: .callerHangup))
        try await store.save(SampleRecords.call(id: "c", caller: nil, startedAfter: 120, outcome: .callerHangup))
        try await store.save(SampleRecords.call(id: "d", caller: "1001", startedAfter: 180, outcome: .failed))
        #expect(try await store.records(matching: filter.query).map(\.id) == filter.expected)
    }

    @Test func retentionDeletesOnlyCallsOlderThanThePeriod() async throws {
        let store = try CallRecordStore(path: ":memory:")
        let day = 86_400.0
        try await store.save(SampleRecords.call(id: "old", startedAfter: -31 * day))
        try await store.save(SampleRecords.call(id: "recent", startedAfter: -29 * day))
        let retention = CallRecordRetention(store: store, days: 30, now: { SampleRecords.base })
        #expect(try await retention.prune() == 1)
        #expect(try await store.record(id: "old") == nil)
        #expect(try await store.record(id: "recent") != nil)
        #expect(try await retention.prune() == 0)
    }

    @Test func aDirectoryThatDoesNotExistIsAnOpenError() {
        #expect(throws: CallRecordsError.self) {
            try CallRecordStore(path: "/nonexistent-\(UUID().uuidString)/records.sqlite")
        }
    }
}
