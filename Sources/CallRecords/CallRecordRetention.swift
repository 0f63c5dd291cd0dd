import Foundation
import Logging
import ServiceLifecycle

/// Deletes call records older than the retention period: once when started, then once a day.
///
/// A `Service`: put it in ura's service group after the store is open. Graceful shutdown ends
/// ``run()`` at once (there is nothing to drain); a failed pass is logged and retried the next day.
public struct CallRecordRetention: Service {
    private let store: any CallRecordStore
    private let days: Int
    private let recordingsDirectory: String?
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameters:
    ///   - store: the records to prune.
    ///   - days: keep calls that started within this many days (`RECORDS_RETENTION_DAYS`).
    ///   - recordingsDirectory: where call recordings are (`RECORDINGS_DIR`); the WAV files there
    ///     older than the period go with their records.
    ///   - now: the clock; tests pass a fixed one.
    public init(
        store: any CallRecordStore, days: Int, recordingsDirectory: String? = nil, logger: Logger = Logger(label: "ura.records"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.days = days
        self.recordingsDirectory = recordingsDirectory
        self.now = now
        self.logger = logger
    }

    /// Deletes records older than the retention period now.
    /// - Returns: how many calls were deleted.
    @discardableResult
    public func prune() async throws(CallRecordsError) -> Int {
        let cutoff = now().addingTimeInterval(-Double(days) * 86_400)
        let deleted = try await store.deleteRecords(startedBefore: cutoff)
        if let recordingsDirectory { deleteRecordings(in: recordingsDirectory, lastWrittenBefore: cutoff) }
        return deleted
    }

    /// A recording is last written when its call ends, so one older than the cutoff belongs to a
    /// call that started before it too.
    private func deleteRecordings(in directory: String, lastWrittenBefore cutoff: Date) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var deleted = 0
        for name in files where name.hasSuffix(".wav") {
            let path = URL(fileURLWithPath: directory).appending(path: name).path
            guard let written = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  written < cutoff
            else { continue }
            do {
                try FileManager.default.removeItem(atPath: path)
                deleted += 1
            } catch {
                logger.warning("cannot delete an old recording", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        if deleted > 0 { logger.info("deleted old recordings", metadata: ["count": "\(deleted)", "retention_days": "\(days)"]) }
    }

    public func run() async throws {
        // The only error out of here is the sleep's CancellationError: shutdown, which is a normal end.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await prune()
                    if deleted > 0 { logger.info("deleted old call records", metadata: ["count": "\(deleted)", "retention_days": "\(days)"]) }
                } catch {
                    logger.error("pruning call records failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(86_400))
            }
        }
    }
}
