import Synchronization

/// Whether the task that asked for a transfer was cancelled; shared by the caller and the curl
/// thread.
final class CancellationFlag: Sendable {
    private let flag = Atomic(false)

    func set() { flag.store(true, ordering: .releasing) }

    var isSet: Bool { flag.load(ordering: .acquiring) }
}
