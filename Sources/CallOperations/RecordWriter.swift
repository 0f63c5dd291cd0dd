import CallRecords
import Synchronization

/// Saves call records as calls go, off the calls' path, in order per call.
///
/// ``save(_:)`` never waits: it leaves the snapshot for the call's writer, a task that saves
/// snapshots one after the other. A snapshot not yet written when a newer one comes is replaced
/// by it (each save writes the whole record), so a slow disk costs writes, never order: a later
/// turn is never overwritten by an earlier snapshot. Callers must hand snapshots over in the
/// order they were taken (the journal does so under the lock that guards its records).
///
/// The writer tasks belong to this object; ``finish(callID:)`` awaits the last one of a call, and
/// the journal calls it when the call ends, so no writer outlives its call's end.
final class RecordWriter: Sendable {
    private struct Queue {
        var next: CallRecord?
        var writer: Task<Void, Never>?
        /// The newest snapshot handed over, written or not: what readers should see until the
        /// call is finished and the store has it.
        var latest: CallRecord?
    }

    private let queues = Mutex<[String: Queue]>([:])
    private let store: any CallRecordStore
    private let failed: @Sendable (_ callID: String, _ error: CallRecordsError) -> Void

    /// - Parameter failed: told of each save that failed; the next snapshot is tried all the same.
    init(store: any CallRecordStore, failed: @escaping @Sendable (_ callID: String, _ error: CallRecordsError) -> Void) {
        self.store = store
        self.failed = failed
    }

    /// Queues `record` to be written; returns at once.
    func save(_ record: CallRecord) {
        let id = record.id
        queues.withLock { queues in
            var queue = queues[id] ?? Queue()
            queue.next = record
            queue.latest = record
            if queue.writer == nil { queue.writer = Task { await self.drain(id) } }
            queues[id] = queue
        }
    }

    /// The newest snapshot of a call not yet finished (``finish(callID:)``), or nil.
    func latest(callID: String) -> CallRecord? { queues.withLock { $0[callID]?.latest } }

    /// The newest snapshot of every call not yet finished.
    var pending: [CallRecord] { queues.withLock { $0.values.compactMap(\.latest) } }

    /// Whether a save of this call is queued or being written.
    func isWriting(callID: String) -> Bool { queues.withLock { $0[callID] != nil } }

    /// Returns once everything queued for the call has been written (or failed), and forgets the call.
    func finish(callID: String) async {
        while let writer = queues.withLock({ $0[callID]?.writer }) { await writer.value }
        queues.withLock { queues in
            if queues[callID]?.writer == nil { queues[callID] = nil }
        }
    }

    private func drain(_ id: String) async {
        while let record = takeNext(id) {
            do {
                try await store.save(record)
            } catch {
                failed(id, error)
            }
        }
    }

    /// The snapshot to write next; nil (and the writer marked gone, in the same lock) when none is left.
    private func takeNext(_ id: String) -> CallRecord? {
        queues.withLock { queues in
            guard let record = queues[id]?.next else {
                queues[id]?.writer = nil
                return nil
            }
            queues[id]?.next = nil
            return record
        }
    }
}
