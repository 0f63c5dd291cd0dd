import Synchronization

/// Sends the due frame of every ``OutboundStream`` on each tick of a ``PacerClock``, and measures
/// how late each packet left against its ideal time.
///
/// The pacer is one ``PacerClock/Stage/send`` handler serving all streams. Each stream gets the
/// clock slot with the fewest streams when added; in that slot of every tick the pacer runs the
/// stream's feeder (the call's inbound work), asks it for its due packet and calls the stream's
/// sink (which serialises and `sendto`s) on the clock thread. Right before each sink call it
/// records `now − slot deadline` in a ``SendErrorHistogram`` (``stats``): the error against that
/// stream's own ideal schedule.
///
/// A stream that gets a frame while idle (a reply starting) does not wait for its own slot, up
/// to a whole tick away: the pacer sends it in the next slot that runs and has room, and keeps
/// sending it in that slot for the rest of the spurt, so packets stay exactly one tick apart.
/// "Room" is a little above an even share of the streams, so many spurts starting together
/// spread over the next few slots instead of piling into one. Only the send moves: the feeder
/// stays in the slot it was given, so the calls' inbound work stays spread over the tick.
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

    /// What the pacer does for one stream in one slot.
    private struct Duty {
        var stream: OutboundStream
        var feeds: Bool
        var sends: Bool
    }

    private struct Assignment {
        var stream: OutboundStream
        var feedSlot: Int
        var sendSlot: Int
    }

    private struct Streams {
        var assignments: [ObjectIdentifier: Assignment] = [:]
        /// Streams fed or sent in each slot.
        var bySlot: [Set<ObjectIdentifier>]
        var fedPerSlot: [Int]
        var sentPerSlot: [Int]
        /// Each slot's duties, rebuilt in place (no allocation) when ``stale``.
        var snapshots: [[Duty]]
        var stale: [Bool]
        /// Streams that got a frame while idle since the last slot ran.
        var starting: [OutboundStream] = []
        /// An empty array with room, swapped with ``starting`` when a slot takes the starts.
        var spareStarting: [OutboundStream] = []

        init(slots: Int) {
            // Room for a few streams per slot from the start: a reply moving its sends into a
            // slot that never had one must not allocate on the clock thread.
            bySlot = (0..<slots).map { _ in Set(minimumCapacity: 8) }
            fedPerSlot = Array(repeating: 0, count: slots)
            sentPerSlot = Array(repeating: 0, count: slots)
            snapshots = (0..<slots).map { _ in
                var duties: [Duty] = []
                duties.reserveCapacity(8)
                return duties
            }
            stale = Array(repeating: false, count: slots)
            starting.reserveCapacity(16)
            spareStarting.reserveCapacity(16)
        }

        mutating func current(slot: Int) -> [Duty] {
            if stale[slot] {
                stale[slot] = false
                // The slot's previous snapshot is no longer held (the clock thread is the only
                // reader), so this reuses its storage.
                snapshots[slot].removeAll(keepingCapacity: true)
                for id in bySlot[slot] {
                    guard let assignment = assignments[id] else { continue }
                    snapshots[slot].append(Duty(stream: assignment.stream, feeds: assignment.feedSlot == slot, sends: assignment.sendSlot == slot))
                }
            }
            return snapshots[slot]
        }

        mutating func add(_ stream: OutboundStream) -> Bool {
            let id = ObjectIdentifier(stream)
            guard assignments[id] == nil else { return false }
            let slot = fedPerSlot.indices.min { fedPerSlot[$0] < fedPerSlot[$1] }!
            assignments[id] = Assignment(stream: stream, feedSlot: slot, sendSlot: slot)
            fedPerSlot[slot] += 1
            sentPerSlot[slot] += 1
            bySlot[slot].insert(id)
            stale[slot] = true
            return true
        }

        mutating func remove(_ stream: OutboundStream) {
            let id = ObjectIdentifier(stream)
            guard let assignment = assignments.removeValue(forKey: id) else { return }
            fedPerSlot[assignment.feedSlot] -= 1
            sentPerSlot[assignment.sendSlot] -= 1
            for slot in [assignment.feedSlot, assignment.sendSlot] {
                bySlot[slot].remove(id)
                stale[slot] = true
            }
            starting.removeAll { $0 === stream }
        }

        /// Sends a slot may take from starting spurts: an even share and a tenth more (at
        /// least two), so a burst of starts spills into the following slots.
        var sendRoom: Int {
            let share = (assignments.count + sentPerSlot.count - 1) / sentPerSlot.count
            return share + max(2, share / 10)
        }

        /// Moves the stream's send into `slot` if it has room; false if the stream must wait.
        mutating func moveSend(of stream: OutboundStream, to slot: Int) -> Bool {
            let id = ObjectIdentifier(stream)
            guard var assignment = assignments[id] else { return true }
            guard assignment.sendSlot != slot else { return true }
            guard sentPerSlot[slot] < sendRoom else { return false }
            if assignment.sendSlot != assignment.feedSlot { bySlot[assignment.sendSlot].remove(id) }
            stale[assignment.sendSlot] = true
            sentPerSlot[assignment.sendSlot] -= 1
            sentPerSlot[slot] += 1
            assignment.sendSlot = slot
            assignments[id] = assignment
            bySlot[slot].insert(id)
            stale[slot] = true
            return true
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
        guard streams.withLock({ $0.add(stream) }) else { return }
        stream.setSpurtStartHandler { [weak self, weak stream] in
            guard let self, let stream else { return }
            self.streams.withLock { streams in
                if streams.assignments[ObjectIdentifier(stream)] != nil { streams.starting.append(stream) }
            }
        }
    }

    /// Stops pacing `stream`; once it returns, the stream's feeder and sink are not called again.
    ///
    /// It waits (suspended, no thread blocked) for a slot in progress to finish, not on the
    /// clock's lock: a thousand calls hanging up at once must neither hold up the concurrency
    /// pool nor make the real-time clock thread wait for a pool thread that holds its lock.
    public func remove(_ stream: OutboundStream) async {
        stream.setSpurtStartHandler(nil)
        streams.withLock { $0.remove(stream) }
        await clock.slotPassed()
    }

    /// Counters and the send-error distribution so far.
    public var stats: Stats {
        let (sent, distribution) = histogram.withLock { ($0.count, $0) }
        return Stats(packetsSent: sent, streams: streams.withLock { $0.assignments.count }, sendError: distribution)
    }

    /// Unregisters from the clock; no stream is served afterwards. Idempotent.
    public func close() {
        if let id = handlerID.withLock({ id in defer { id = nil }; return id }) {
            clock.removeHandler(id)
        }
    }

    deinit { close() }

    private func send(_ tick: PacerTick) {
        moveStartingSends(to: tick)
        let duties = streams.withLock { $0.current(slot: tick.slot) }
        guard !duties.isEmpty else { return }
        // Errors are collected on the stack and recorded under one lock per batch, not one per
        // packet (and with no allocation per tick).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.errorBatch) { errors in
            var collected = 0
            for duty in duties {
                // Fed just before its send, so a frame the feeder queues leaves in this very tick.
                if duty.feeds { duty.stream.feed(tick) }
                guard duty.sends, let packet = duty.stream.nextPacket(for: tick) else { continue }
                let now = MonotonicClock.now()
                errors[collected] = now > tick.deadline ? now - tick.deadline : 0
                collected += 1
                duty.stream.sink(packet)
                if collected == Self.errorBatch {
                    record(UnsafeMutableBufferPointer(rebasing: errors[..<collected]))
                    collected = 0
                }
            }
            record(UnsafeMutableBufferPointer(rebasing: errors[..<collected]))
        }
    }

    /// Send errors recorded per lock of the histogram.
    private static let errorBatch = 64

    private func record(_ errors: UnsafeMutableBufferPointer<UInt64>) {
        guard !errors.isEmpty else { return }
        histogram.withLock { histogram in
            for index in errors.indices { histogram.record(error: errors[index]) }
        }
    }

    /// Moves the sends of streams whose talk spurt starts now into `tick`'s slot, as many as it
    /// has room for; the others try the next slot (unless their own comes first).
    private func moveStartingSends(to tick: PacerTick) {
        // Taken by swapping with a spare list, and given back emptied: a reply starts a spurt
        // and the clock thread must not allocate for it.
        var starting = streams.withLock { streams -> [OutboundStream] in
            guard !streams.starting.isEmpty else { return [] }
            var taken = streams.spareStarting
            streams.spareStarting = []
            swap(&taken, &streams.starting)
            return taken
        }
        guard !starting.isEmpty else { return }
        // Checked outside the pacer's lock: the stream's own lock is never taken inside it.
        starting.removeAll { !$0.isStartingSpurt(at: tick) }
        streams.withLock { streams in
            for stream in starting where !streams.moveSend(of: stream, to: tick.slot) {
                streams.starting.append(stream)
            }
            starting.removeAll(keepingCapacity: true)
            if starting.capacity > streams.spareStarting.capacity { swap(&starting, &streams.spareStarting) }
        }
    }
}
