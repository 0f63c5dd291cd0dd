import Synchronization

/// Per-socket packet counters, updated lock-free on the reactor and pacer threads.
///
/// Read them from any thread with ``snapshot``; each value only grows.
public final class MediaSocketCounters: Sendable {
    /// A consistent-enough copy of the counters for metrics and tests.
    public struct Snapshot: Sendable, Equatable {
        /// Datagrams from the expected remote, handed to the handler.
        public var received: UInt64 = 0
        /// Datagrams from any other source (possible media injection), dropped.
        public var droppedForeignSource: UInt64 = 0
        /// Datagrams that arrived before ``MediaSocket/setRemote(_:)``, dropped.
        public var droppedBeforeRemote: UInt64 = 0
        /// Datagrams larger than the receive buffer, dropped.
        public var oversize: UInt64 = 0
        /// Datagrams handed to `sendto`.
        public var sent: UInt64 = 0
        /// `sendto` failures, and sends attempted before the remote was known or after close.
        public var sendErrors: UInt64 = 0

        /// All zero.
        public init() {}
    }

    let received = Atomic<UInt64>(0)
    let droppedForeignSource = Atomic<UInt64>(0)
    let droppedBeforeRemote = Atomic<UInt64>(0)
    let oversize = Atomic<UInt64>(0)
    let sent = Atomic<UInt64>(0)
    let sendErrors = Atomic<UInt64>(0)

    init() {}

    /// The current values.
    public var snapshot: Snapshot {
        var copy = Snapshot()
        copy.received = received.load(ordering: .relaxed)
        copy.droppedForeignSource = droppedForeignSource.load(ordering: .relaxed)
        copy.droppedBeforeRemote = droppedBeforeRemote.load(ordering: .relaxed)
        copy.oversize = oversize.load(ordering: .relaxed)
        copy.sent = sent.load(ordering: .relaxed)
        copy.sendErrors = sendErrors.load(ordering: .relaxed)
        return copy
    }
}
