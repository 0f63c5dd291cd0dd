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
}
