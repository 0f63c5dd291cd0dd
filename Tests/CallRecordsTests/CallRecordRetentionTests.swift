import CallRecords
import CallRecordsTesting
import Foundation
import ServiceLifecycleTestKit
import Testing

@Suite struct CallRecordRetentionTests {
    @Test func theServicePrunesWhenItStartsAndStopsOnGracefulShutdown() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        try await store.save(SampleRecords.call(id: "old", startedAfter: -40 * 86_400))
        try await store.save(SampleRecords.call(id: "new", startedAfter: -1 * 86_400))
        let retention = CallRecordRetention(store: store, days: 30, now: { SampleRecords.base })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await retention.run() }
                // Wait for the first pass; bounded so a service that never prunes fails instead of hanging.
                var polls = 0
                while try await store.record(id: "old") != nil, polls < 500 {
                    try await Task.sleep(for: .milliseconds(10))
                    polls += 1
                }
                trigger.triggerGracefulShutdown()
                try await group.next()
            }
        }
        #expect(try await store.record(id: "old") == nil)
        #expect(try await store.record(id: "new") != nil)
    }

    @Test func recordingsOlderThanThePeriodGoWithTheirRecords() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-retention-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func file(_ name: String, daysOld: Double) throws -> String {
            let path = "\(directory)/\(name)"
            FileManager.default.createFile(atPath: path, contents: Data("RIFF".utf8))
            try FileManager.default.setAttributes(
                [.modificationDate: SampleRecords.base.addingTimeInterval(-daysOld * 86_400)], ofItemAtPath: path)
            return path
        }
        let old = try file("old.wav", daysOld: 31), recent = try file("recent.wav", daysOld: 29), other = try file("notes.txt", daysOld: 90)
        let retention = CallRecordRetention(
            store: try SQLiteCallRecordStore(path: ":memory:"), days: 30, recordingsDirectory: directory, now: { SampleRecords.base })
        try await retention.prune()
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: recent))
        #expect(FileManager.default.fileExists(atPath: other), "only recordings are ura's to delete")
    }
}
