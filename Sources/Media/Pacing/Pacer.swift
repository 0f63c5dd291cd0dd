import Synchronization

/// Sends the due frame of every ``OutboundStream`` on each tick of a ``PacerClock``, and measures
/// how late each packet left against its ideal time.
///
/// The pacer is one ``PacerClock/Stage/send`` handler serving all streams. Each stream gets the
/// clock slot with the fewest streams when added, and in that slot of every tick the pacer asks
/// it for its due packet and calls the stream's sink (which serialises and `sendto`s) on the
/// clock thread. Right before each sink call it records `now − slot deadline` in a
/// ``SendErrorHistogram`` (``stats``): the error against that stream's own ideal schedule.
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
        var slotOf: [ObjectIdentifier: Int] = [:]
        var bySlot: [[ObjectIdentifier: OutboundStream]]
        var snapshots: [[OutboundStream]?]

        init(slots: Int) {
            bySlot = Array(repeating: [:], count: slots)
            snapshots = Array(repeating: [], count: slots)
        }

        mutating func current(slot: Int) -> [OutboundStream] {
            if let snapshot = snapshots[slot] { return snapshot }
            let snapshot = Array(bySlot[slot].values)
            snapshots[slot] = snapshot
            return snapshot
        }
    }

    private let clock: PacerClock
    private let streams: Mutex<Streams>
    private let histogram = Mutex(SendErrorHistogram())
    private let handlerID = Mutex<PacerClock.HandlerID?>(nil)

    /// Creates a pacer driven by `clock` (started or not).
    public init(clock: PacerClock) {
        self.clock = clock
        streams = Mutex(Streams(slots: clock.slots))
        let id = clock.addHandler(stage: .send) { [weak self] tick in self?.send(tick) }
        handlerID.withLock { $0 = id }
    }

    /// Starts pacing `stream` in the least busy slot, from that slot's next turn. Adding a
    /// stream twice has no effect.
    public func add(_ stream: OutboundStream) {
        let id = ObjectIdentifier(stream)
        streams.withLock { streams in
            guard streams.slotOf[id] == nil else { return }
            let slot = streams.bySlot.indices.min { streams.bySlot[$0].count < streams.bySlot[$1].count }!
            streams.slotOf[id] = slot
            streams.bySlot[slot][id] = stream
            streams.snapshots[slot] = nil
        }
    }

    /// Stops pacing `stream`. Off the clock thread this waits for a tick in progress, so once it
    /// returns the stream's sink is not called again.
    ///
    /// - Warning: do not call it while holding a lock a sink takes: that deadlocks.
    public func remove(_ stream: OutboundStream) {
        let id = ObjectIdentifier(stream)
        streams.withLock { streams in
            guard let slot = streams.slotOf.removeValue(forKey: id) else { return }
            streams.bySlot[slot][id] = nil
            streams.snapshots[slot] = nil
        }
        clock.waitForTickInProgress()
    }

    /// Counters and the send-error distribution so far.
    public var stats: Stats {
        let (sent, distribution) = histogram.withLock { ($0.count, $0) }
        return Stats(packetsSent: sent, streams: streams.withLock { $0.slotOf.count }, sendError: distribution)
    }

    /// Unregisters from the clock; no stream is served afterwards. Idempotent.
    public func close() {
        if let id = handlerID.withLock({ id in defer { id = nil }; return id }) {
            clock.removeHandler(id)
        }
    }

    deinit { close() }

    private func send(_ tick: PacerTick) {
        let current = streams.withLock { $0.current(slot: tick.slot) }
        guard !current.isEmpty else { return }
        // Errors are collected first and recorded under one lock per slot, not one per packet.
        var errors: [UInt64] = []
        errors.reserveCapacity(current.count)
        for stream in current {
            stream.feed(tick)
            guard let packet = stream.nextPacket(for: tick) else { continue }
            let now = MonotonicClock.now()
            errors.append(now > tick.deadline ? now - tick.deadline : 0)
            stream.sink(packet)
        }
        if !errors.isEmpty {
            histogram.withLock { histogram in
                for error in errors { histogram.record(error: error) }
            }
        }
    }
}
