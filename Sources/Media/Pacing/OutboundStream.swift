import Synchronization

/// One call's outbound RTP stream: a bounded queue of 20 ms frames that a ``Pacer`` sends one per
/// tick, stamped with continuous RTP sequence numbers and timestamps.
///
/// - The RTP timestamp follows the clock, not the packets: it advances by
///   ``Configuration/clockTicksPerFrame`` every tick, also during silence when nothing is sent
///   and across skipped ticks, so the first packet of a talk spurt reflects the time elapsed.
/// - Sequence numbers advance by one per packet sent, so they have no gaps across spurts.
/// - The first packet of each talk spurt (after silence, after ``flush()``, and the very first)
///   has the marker bit.
/// - A frame queued while the stream is idle starts a talk spurt: the stream tells its pacer,
///   which sends it in the next slot of the clock rather than waiting up to a whole tick for the
///   stream's own slot (a reply's first packet leaves within one slot, ~2 ms).
/// - ``flush()`` drops everything queued: the next tick sends no more of the old audio
///   (barge-in).
/// - Every frame sent moves the played cursor of its source (``playedCursor(for:)``), and the
///   packet handed to the sink carries the provenance too: the pipeline knows what was heard.
///
/// Threading: ``enqueue(_:)``, ``flush()`` and the readers may be called from any thread; the
/// pacer thread calls ``nextPacket(for:)``. State sits in a `Mutex`.
public final class OutboundStream: Sendable {
    /// Fixed parameters of the stream.
    public struct Configuration: Sendable, Equatable {
        /// RTP payload type (0 µ-law, 8 A-law, 9 G.722, 10 slin).
        public var payloadType: UInt8
        /// RTP timestamp units per frame (160 for 20 ms of µ-law, A-law, slin and G.722).
        public var clockTicksPerFrame: UInt32
        /// Frames the queue holds (250 = 5 s); ``OutboundStream/enqueue(_:)`` refuses more.
        public var capacity: Int
        /// RTP synchronisation source.
        public var ssrc: UInt32
        /// Sequence number of the first packet.
        public var initialSequenceNumber: UInt16
        /// RTP timestamp of the stream's first tick.
        public var initialTimestamp: UInt32

        /// SSRC, first sequence number and first timestamp are random (RFC 3550 §5.1) unless given.
        public init(
            payloadType: UInt8, clockTicksPerFrame: UInt32 = 160, capacity: Int = 250,
            ssrc: UInt32 = .random(in: .min ... .max),
            initialSequenceNumber: UInt16 = .random(in: .min ... .max),
            initialTimestamp: UInt32 = .random(in: .min ... .max)
        ) {
            precondition(capacity > 0, "OutboundStream capacity must be positive, got \(capacity)")
            self.payloadType = payloadType
            self.clockTicksPerFrame = clockTicksPerFrame
            self.capacity = capacity
            self.ssrc = ssrc
            self.initialSequenceNumber = initialSequenceNumber
            self.initialTimestamp = initialTimestamp
        }
    }

    /// Counters of the stream.
    public struct Stats: Sendable, Equatable {
        /// Packets handed to the sink.
        public var framesSent: UInt64 = 0
        /// Frames refused because the queue was full.
        public var framesRejected: UInt64 = 0
        /// Frames dropped by ``OutboundStream/flush()``.
        public var framesFlushed: UInt64 = 0
        /// Talk spurts started (packets sent with the marker bit).
        public var talkSpurts: UInt64 = 0
    }

    private struct PlayedCursor {
        var sourceID: UInt64
        var endSample: Int64
        /// When the source's first frame was handed to the sink (``MonotonicClock`` ns).
        var firstSentAt: UInt64
    }

    private struct RoomWaiter {
        var id: UInt64
        var limit: Int
        var continuation: UnsafeContinuation<Void, Never>
    }

    private struct State {
        var queue: [OutboundFrame] = []
        var head = 0
        var firstTick: UInt64?
        var nextSequenceNumber: UInt16
        var inSpurt = false
        var lastSentTick: UInt64?
        /// Producers waiting for the queue to shrink (``OutboundStream/waitForRoom(queuedBelow:)``).
        var roomWaiters: [RoomWaiter] = []
        /// An empty array with room, lent by ``takeSatisfiedWaiters()``.
        var spareWaiterList: [RoomWaiter] = []
        var nextWaiterID: UInt64 = 0
        /// Most recent source last; bounded by `playedSourcesKept`.
        var played: [PlayedCursor] = []
        var lastSent: AudioProvenance?
        var stats = Stats()
        /// Payload arrays of frames sent or flushed, for ``OutboundStream/enqueue(payloadBytes:provenance:writing:)``
        /// to fill again: a steady stream allocates none.
        var spares: [[UInt8]] = []
        /// The payload of the packet sent last: its sink has returned by the next tick, then
        /// the array is spare.
        var sentPayload: [UInt8]?

        mutating func keepSpare(_ payload: [UInt8]) {
            if spares.count < OutboundStream.sparesKept { spares.append(payload) }
        }

        var count: Int { queue.count - head }

        mutating func popFirst() -> OutboundFrame? {
            guard head < queue.count else { return nil }
            // Moved out, not copied: the slot must not keep the payload, which becomes a spare.
            var frame = OutboundFrame.taken
            swap(&frame, &queue[head])
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 32, head * 2 >= queue.count {
                // A producer that keeps the queue topped up never lets it empty: drop the sent
                // prefix now and then so sent frames are freed (amortised O(1) per frame).
                queue.removeFirst(head)
                head = 0
            }
            return frame
        }

        /// Removes and returns the waiters whose limit the queue is now below, in an array the
        /// caller hands back with ``returnWaiterList(_:)`` once it has resumed them: the pacer
        /// wakes a waiting producer every tick, and must not allocate to do so.
        mutating func takeSatisfiedWaiters() -> [RoomWaiter] {
            guard !roomWaiters.isEmpty else { return [] }
            let count = count
            var ready: [RoomWaiter] = []
            swap(&ready, &spareWaiterList)
            for waiter in roomWaiters where count < waiter.limit { ready.append(waiter) }
            if !ready.isEmpty { roomWaiters.removeAll { count < $0.limit } }
            return ready
        }

        mutating func returnWaiterList(_ list: inout [RoomWaiter]) {
            list.removeAll(keepingCapacity: true)
            if list.capacity > spareWaiterList.capacity { swap(&list, &spareWaiterList) }
        }

        /// Idle: the next frame queued starts a talk spurt.
        var isIdle: Bool { !inSpurt && count == 0 }

        mutating func recordPlayed(_ provenance: AudioProvenance) {
            if let index = played.lastIndex(where: { $0.sourceID == provenance.sourceID }) {
                if index != played.count - 1 {
                    played.append(played.remove(at: index))
                }
                played[played.count - 1].endSample = provenance.endSample
            } else {
                played.append(PlayedCursor(
                    sourceID: provenance.sourceID, endSample: provenance.endSample, firstSentAt: MonotonicClock.now()))
                if played.count > OutboundStream.playedSourcesKept { played.removeFirst() }
            }
        }
    }

    /// Sources whose played cursor is kept (older ones are forgotten).
    private static let playedSourcesKept = 16
    /// Spare payload arrays kept: as many frames as a producer usually keeps queued ahead.
    private static let sparesKept = 32

    /// The stream's fixed parameters.
    public let configuration: Configuration
    /// Where packets go, called on the pacer thread (serialise and `sendto`; must not block).
    let sink: @Sendable (OutboundPacket) -> Void
    private let state: Mutex<State>
    private let feeder = Mutex<Callback<PacerTick>?>(nil)
    /// Set by the pacer serving the stream: called (off the stream's lock) when an idle stream
    /// gets a frame.
    private let spurtStarting = Mutex<Callback<Void>?>(nil)

    /// Work to run on the pacer thread right before each of this stream's ticks: the call's
    /// inbound audio and bot (jitter buffer pop, decode, loopback…). Running it in the stream's
    /// own slot spreads every call's per-tick work across the slots, and a frame it queues
    /// leaves in the same tick. It may call ``enqueue(_:)``; it must not block.
    public func setFeeder(_ feed: (@Sendable (PacerTick) -> Void)?) {
        feeder.withLock { $0 = feed.map(Callback.init) }
    }

    func feed(_ tick: PacerTick) {
        feeder.withLock { $0 }?.run(tick)
    }

    func setSpurtStartHandler(_ handler: (@Sendable () -> Void)?) {
        spurtStarting.withLock { $0 = handler.map { handler in Callback { _ in handler() } } }
    }

    /// Whether the stream has a talk spurt to start and may send at `tick`: it sent nothing in
    /// that tick yet (a stream sends at most one packet per tick, its RTP time is the tick's).
    func isStartingSpurt(at tick: PacerTick) -> Bool {
        state.withLock { !$0.inSpurt && $0.count > 0 && $0.lastSentTick != tick.index }
    }

    /// - Parameters:
    ///   - configuration: payload type, clock rate, capacity, initial RTP values.
    ///   - sink: called on the pacer thread with every packet due; it serialises the RTP header
    ///     and sends. It must not block and must not call back into this stream's pacer.
    public init(configuration: Configuration, sink: @escaping @Sendable (OutboundPacket) -> Void) {
        self.configuration = configuration
        self.sink = sink
        var initial = State(nextSequenceNumber: configuration.initialSequenceNumber)
        // Spares: room for the few a steady stream uses (more grow once, when first needed).
        // Played sources: all it keeps, as a conversation adds one per sentence.
        initial.spares.reserveCapacity(8)
        initial.played.reserveCapacity(Self.playedSourcesKept + 1)
        initial.roomWaiters.reserveCapacity(4)
        initial.spareWaiterList.reserveCapacity(4)
        state = Mutex(initial)
    }

    /// Queues a frame whose payload `write` encodes into an array of `payloadBytes` bytes
    /// that the stream reuses (one of a frame sent earlier), so that a steady stream queues
    /// without allocating.
    ///
    /// - Parameter write: fills the buffer and returns how many bytes it wrote (at most
    ///   `payloadBytes`).
    /// - Returns: false (and counts it) when the queue is full, as ``enqueue(_:)``.
    @discardableResult
    public func enqueue(
        payloadBytes: Int, provenance: AudioProvenance, writing write: (UnsafeMutableBufferPointer<UInt8>) -> Int
    ) -> Bool {
        var payload = state.withLock { $0.spares.popLast() } ?? []
        if payload.count != payloadBytes {
            payload.removeAll(keepingCapacity: true)
            // One at a time: `append(contentsOf:)` of a repeated element allocates per element
            // in unoptimised builds.
            for _ in 0..<payloadBytes { payload.append(0) }
        }
        let written = payload.withUnsafeMutableBufferPointer { write($0) }
        if written < payload.count { payload.removeLast(payload.count - written) }
        return enqueue(OutboundFrame(payload: payload, provenance: provenance))
    }

    /// Queues a frame to send after those already queued.
    ///
    /// - Returns: false (and counts it) when the queue is full; the producer should wait for
    ///   ``freeCapacity``, as the pacer drains one frame per tick.
    @discardableResult
    public func enqueue(_ frame: OutboundFrame) -> Bool {
        let (queued, starts) = state.withLock { state -> (Bool, Bool) in
            guard state.count < configuration.capacity else {
                state.stats.framesRejected += 1
                return (false, false)
            }
            let starts = state.isIdle
            state.queue.append(frame)
            return (true, starts)
        }
        if starts { spurtStarting.withLock { $0 }?.run(()) }
        return queued
    }

    /// Drops every queued frame, so the next tick sends none of the old audio; the next packet
    /// sent starts a new talk spurt.
    ///
    /// - Returns: how many frames were dropped.
    @discardableResult
    public func flush() -> Int {
        let (dropped, waiters) = state.withLock { state in
            let dropped = state.count
            for index in state.head..<state.queue.count { state.keepSpare(state.queue[index].payload) }
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
            state.inSpurt = false
            state.stats.framesFlushed += UInt64(dropped)
            return (dropped, state.takeSatisfiedWaiters())
        }
        resume(waiters)
        return dropped
    }

    /// Returns once fewer than `limit` frames are queued, or when the task is cancelled.
    ///
    /// The pacer wakes the waiter as it sends (or ``flush()`` empties the queue): a producer that
    /// keeps a few frames ahead is woken once per frame, right when there is room, instead of
    /// polling.
    public func waitForRoom(queuedBelow limit: Int) async {
        let id = state.withLock { state in
            defer { state.nextWaiterID &+= 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            // Unsafe, not checked: a checked continuation allocates, and a reply waits here for
            // every frame. Resumed exactly once: by whoever removes the waiter from the list.
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let waiting = state.withLock { state in
                    // Cancellation is flagged before its handler runs: checked here, under the
                    // lock, no cancel is missed between the two.
                    guard state.count >= limit, !Task.isCancelled else { return false }
                    state.roomWaiters.append(RoomWaiter(id: id, limit: limit, continuation: continuation))
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> RoomWaiter? in
                guard let index = state.roomWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.roomWaiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }

    /// Frames held in storage, sent ones not yet compacted included (for tests).
    var storedFrames: Int { state.withLock { $0.queue.count } }

    /// Frames waiting to be sent.
    public var queuedFrames: Int { state.withLock { $0.count } }

    /// Frames that can still be queued.
    public var freeCapacity: Int { configuration.capacity - queuedFrames }

    /// Counters so far.
    public var stats: Stats { state.withLock { $0.stats } }

    /// How far `sourceID` has been played: one past the last source sample of the last frame
    /// of that source sent, or nil if none was sent (or the source is long forgotten).
    public func playedCursor(for sourceID: UInt64) -> Int64? {
        state.withLock { state in state.played.last { $0.sourceID == sourceID }?.endSample }
    }

    /// When the first frame of `sourceID` was handed to the sink (``MonotonicClock`` ns), or nil
    /// if none was sent (or the source is long forgotten).
    public func firstSentTime(for sourceID: UInt64) -> UInt64? {
        state.withLock { state in state.played.last { $0.sourceID == sourceID }?.firstSentAt }
    }

    /// What the last packet sent carried.
    public var lastSent: AudioProvenance? { state.withLock { $0.lastSent } }

    /// Takes the frame due at `tick`, if any, and stamps it. Called by the pacer once per tick,
    /// ticks in increasing order.
    func nextPacket(for tick: PacerTick) -> OutboundPacket? {
        let (packet, waiters) = state.withLock { state -> (OutboundPacket?, [RoomWaiter]) in
            let packet = Self.stamp(&state, tick: tick, configuration: configuration)
            return (packet, packet == nil ? [] : state.takeSatisfiedWaiters())
        }
        resume(waiters)
        return packet
    }

    /// Resumes `waiters` off the lock, then hands their (emptied) array back for the next time.
    private func resume(_ waiters: consuming [RoomWaiter]) {
        var list = consume waiters
        guard !list.isEmpty else { return }
        for index in list.indices { list[index].continuation.resume() }
        state.withLock { $0.returnWaiterList(&list) }
    }

    private static func stamp(_ state: inout State, tick: PacerTick, configuration: Configuration) -> OutboundPacket? {
        let firstTick = state.firstTick ?? tick.index
        state.firstTick = firstTick
        guard state.lastSentTick != tick.index else { return nil }
        if let sent = state.sentPayload {
            state.sentPayload = nil
            state.keepSpare(sent)
        }
        guard let frame = state.popFirst() else {
            state.inSpurt = false
            return nil
        }
        let elapsed = UInt32(truncatingIfNeeded: tick.index &- firstTick)
        let marker = !state.inSpurt
        state.inSpurt = true
        state.lastSentTick = tick.index
        let sequenceNumber = state.nextSequenceNumber
        state.nextSequenceNumber &+= 1
        state.stats.framesSent += 1
        if marker { state.stats.talkSpurts += 1 }
        state.lastSent = frame.provenance
        state.recordPlayed(frame.provenance)
        state.sentPayload = frame.payload
        return OutboundPacket(
            ssrc: configuration.ssrc,
            sequenceNumber: sequenceNumber,
            timestamp: configuration.initialTimestamp &+ elapsed &* configuration.clockTicksPerFrame,
            marker: marker,
            payloadType: configuration.payloadType,
            payload: frame.payload,
            provenance: frame.provenance,
            tick: tick.index,
            deadline: tick.deadline)
    }
}
