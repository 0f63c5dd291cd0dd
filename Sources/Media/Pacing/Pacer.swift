import Synchronization

/// Sends the due frame of every ``OutboundStream`` on each tick of a ``PacerClock``, and measures
/// how late each packet left against its ideal time.
///
/// The pacer is one ``PacerClock/Stage/send`` handler serving all streams: per tick it asks each
/// stream for its due packet and calls the stream's sink (which serialises and `sendto`s) on the
/// clock thread. Right before each sink call it records `now − tick deadline` in a
/// ``SendErrorHistogram`` (``stats``).
///
/// Threading: ``add(_:)``, ``remove(_:)`` and ``stats`` may be called from any thread.
///
/// Lifecycle: `init` registers with the clock; ``close()`` (idempotent, also run by `deinit`)
/// unregisters, waiting for a tick in progress when called off the clock thread.
public final class Pacer: Sendable {
    /// What the pacer has sent and how punctually.
    public struct Stats: Sendable, Equatable {
        /// Packets handed to sinks.
        public var packetsSent: UInt64
        /// Streams currently paced.
        public var streams: Int
        /// Send time minus ideal time of every packet sent.
        public var sendError: SendErrorHistogram
    }

    private struct Streams {
        var byID: [ObjectIdentifier: OutboundStream] = [:]
        var snapshot: [OutboundStream]? = []
    }

    private let clock: PacerClock
    private let streams = Mutex(Streams())
    private let histogram = Mutex(SendErrorHistogram())
    private let handlerID = Mutex<PacerClock.HandlerID?>(nil)

    /// Creates a pacer driven by `clock` (started or not).
    public init(clock: PacerClock) {
        self.clock = clock
        let id = clock.addHandler(stage: .send) { [weak self] tick in self?.send(tick) }
        handlerID.withLock { $0 = id }
    }

    /// Starts pacing `stream` from the next tick. Adding a stream twice has no effect.
    public func add(_ stream: OutboundStream) {
        streams.withLock { streams in
            streams.byID[ObjectIdentifier(stream)] = stream
            streams.snapshot = nil
        }
    }

    /// Stops pacing `stream`. Off the clock thread this waits for a tick in progress, so once it
    /// returns the stream's sink is not called again.
    ///
    /// - Warning: do not call it while holding a lock a sink takes: that deadlocks.
    public func remove(_ stream: OutboundStream) {
        streams.withLock { streams in
            if streams.byID.removeValue(forKey: ObjectIdentifier(stream)) != nil { streams.snapshot = nil }
        }
        clock.waitForTickInProgress()
    }

    /// Counters and the send-error distribution so far.
    public var stats: Stats {
        let (sent, distribution) = histogram.withLock { ($0.count, $0) }
        return Stats(packetsSent: sent, streams: streams.withLock { $0.byID.count }, sendError: distribution)
    }

    /// Unregisters from the clock; no stream is served afterwards. Idempotent.
    public func close() {
        if let id = handlerID.withLock({ id in defer { id = nil }; return id }) {
            clock.removeHandler(id)
        }
    }

    deinit { close() }

    private func send(_ tick: PacerTick) {
        let current = streams.withLock { streams in
            if let snapshot = streams.snapshot { return snapshot }
            let snapshot = Array(streams.byID.values)
            streams.snapshot = snapshot
            return snapshot
        }
        var errors = SendErrorHistogram()
        for stream in current {
            guard let packet = stream.nextPacket(for: tick) else { continue }
            errors.record(sendTime: MonotonicClock.now(), deadline: tick.deadline)
            stream.sink(packet)
        }
        if errors.count > 0 {
            histogram.withLock { $0.merge(errors) }
        }
    }
}
