import Glibc
import Synchronization
import Testing
@testable import Media

/// Records packets a sink received (the sink runs on the pacer thread).
final class PacketLog: Sendable {
    private let packets = Mutex<[OutboundPacket]>([])
    var all: [OutboundPacket] { packets.withLock { $0 } }
    var count: Int { packets.withLock { $0.count } }
    func append(_ packet: OutboundPacket) { packets.withLock { $0.append(packet) } }
}

@Suite struct PacerTests {
    static func frames(_ count: Int, source: UInt64) -> [OutboundFrame] {
        (0..<count).map {
            OutboundFrame(
                payload: [UInt8(truncatingIfNeeded: $0)],
                provenance: AudioProvenance(sourceID: source, sampleOffset: Int64($0) * 160, sampleCount: 160))
        }
    }

    @Test func sendsEveryQueuedFrameOfEveryStreamOncePerTickInOrder() throws {
        let clock = PacerClock(interval: .milliseconds(5))
        let pacer = Pacer(clock: clock)
        let logs = (0..<3).map { _ in PacketLog() }
        let streams = logs.map { log in
            OutboundStream(configuration: .init(payloadType: 8)) { log.append($0) }
        }
        for (index, stream) in streams.enumerated() {
            for frame in Self.frames(10, source: UInt64(index)) { stream.enqueue(frame) }
            pacer.add(stream)
        }
        try clock.start()
        #expect(eventually { logs.allSatisfy { $0.count == 10 } })
        clock.stop()
        for (index, log) in logs.enumerated() {
            let packets = log.all
            #expect(packets.map(\.provenance) == Self.frames(10, source: UInt64(index)).map(\.provenance))
            // One frame per tick: consecutive ticks, consecutive sequence numbers.
            #expect(zip(packets, packets.dropFirst()).allSatisfy {
                $1.tick == $0.tick + 1 && $1.sequenceNumber == $0.sequenceNumber &+ 1
            })
            #expect(packets.allSatisfy { $0.payloadType == 8 })
            #expect(packets.first?.marker == true)
        }
        let stats = pacer.stats
        #expect(stats.packetsSent == 30)
        #expect(stats.sendError.count == 30)
        #expect(stats.streams == 3)
        #expect(clock.stats.slotsRun >= 10)
    }

    @Test func aFeederRunsInItsStreamsSlotAndItsFrameLeavesInTheSameTick() throws {
        let clock = PacerClock(interval: .milliseconds(5))
        let pacer = Pacer(clock: clock)
        let log = PacketLog()
        let stream = OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) }
        let fed = Mutex<[PacerTick]>([])
        stream.setFeeder { tick in
            let count = fed.withLock { fed in
                fed.append(tick)
                return fed.count
            }
            stream.enqueue(Self.frames(1, source: UInt64(count))[0])
        }
        pacer.add(stream)
        try clock.start()
        #expect(eventually { log.count >= 5 })
        clock.stop()
        let ticks = fed.withLock { $0 }
        // Once per tick, always in the same slot, and each tick sends the frame fed in it.
        #expect(Set(ticks.map(\.slot)).count == 1)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1.index == $0.index + 1 })
        for packet in log.all {
            #expect(ticks.contains { $0.index == packet.tick })
            #expect(packet.provenance.sourceID == UInt64(ticks.firstIndex { $0.index == packet.tick }! + 1))
        }
        stream.setFeeder(nil)
    }

    @Test func aTalkSpurtStartsInTheNextSlotNotTheStreamsOwnAndKeepsItsSpacing() throws {
        let interval: UInt64 = 20_000_000
        let clock = PacerClock(interval: .milliseconds(20), slots: 10)
        let pacer = Pacer(clock: clock)
        let log = PacketLog()
        let stream = OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) }
        let fed = Mutex<[PacerTick]>([])
        stream.setFeeder { tick in fed.withLock { $0.append(tick) } }
        pacer.add(stream)
        try clock.start()
        defer { clock.stop() }
        var waits: [UInt64] = []
        for spurt in 0..<6 {
            // Replies start at any phase of the tick.
            MonotonicClock.sleep(until: MonotonicClock.now() + UInt64.random(in: 30_000_000...70_000_000))
            let before = log.count
            let queuedAt = MonotonicClock.now()
            for frame in Self.frames(3, source: UInt64(spurt)) { stream.enqueue(frame) }
            #expect(eventually { log.count == before + 3 })
            let packets = Array(log.all[before...])
            waits.append(packets[0].deadline > queuedAt ? packets[0].deadline - queuedAt : 0)
            #expect(packets.map(\.marker) == [true, false, false])
            #expect(zip(packets, packets.dropFirst()).allSatisfy {
                $1.deadline - $0.deadline == interval && $1.tick == $0.tick + 1
            })
        }
        // Its own slot would make the first packet wait up to 20 ms (10 on average); the next
        // slot runs within 2 ms, 4 if the enqueue races a slot that is just starting.
        #expect(waits.allSatisfy { $0 <= 4_000_000 }, "waits (ns): \(waits)")
        // Only the send moves: the call's inbound work stays in its slot, once per tick.
        stream.setFeeder(nil)
        let ticks = fed.withLock { $0 }
        #expect(Set(ticks.map(\.slot)).count == 1)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1.index == $0.index + 1 })
    }

    @Test func manySpurtsStartingTogetherSpreadOverTheNextSlotsInsteadOfPilingIntoOne() throws {
        let slots = 10
        let interval: UInt64 = 20_000_000
        let clock = PacerClock(interval: .milliseconds(20), slots: slots)
        let pacer = Pacer(clock: clock)
        let logs = (0..<40).map { _ in PacketLog() }
        let streams = logs.map { log in OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) } }
        for stream in streams { pacer.add(stream) }
        // Every stream gets its first frame at the same moment, at the start of a tick.
        let producer = clock.addHandler(stage: .pull) { tick in
            for (index, stream) in streams.enumerated() {
                stream.enqueue(OutboundFrame(
                    payload: [0], provenance: AudioProvenance(sourceID: UInt64(index), sampleOffset: Int64(tick.index), sampleCount: 1)))
            }
        }
        try clock.start()
        #expect(eventually { logs.allSatisfy { $0.count >= 5 } })
        clock.removeHandler(producer)
        clock.stop()
        var streamsPerPhase: [UInt64: Int] = [:]
        for log in logs {
            let packets = log.all
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.deadline - $0.deadline == interval })
            streamsPerPhase[(packets[0].deadline - packets[0].tick * interval) % interval, default: 0] += 1
        }
        // Four per slot is an even share; a slot takes at most two more.
        #expect(streamsPerPhase.values.allSatisfy { $0 <= 6 }, "streams per slot phase: \(streamsPerPhase)")
        #expect(pacer.stats.packetsSent == logs.reduce(0) { $0 + UInt64($1.count) })
    }

    @Test func removedStreamIsNotServedAfterRemoveReturns() async throws {
        let clock = PacerClock(interval: .milliseconds(2))
        let pacer = Pacer(clock: clock)
        let log = PacketLog()
        let stream = OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) }
        for frame in Self.frames(200, source: 1) { stream.enqueue(frame) }
        pacer.add(stream)
        try clock.start()
        defer { clock.stop() }
        #expect(eventually { log.count >= 3 })
        await pacer.remove(stream)
        let sentWhenRemoved = log.count
        let queuedWhenRemoved = stream.queuedFrames
        #expect(sentWhenRemoved + queuedWhenRemoved == 200)
        #expect(eventually(seconds: 0.05) { log.count != sentWhenRemoved } == false)
        #expect(pacer.stats.streams == 0)
    }

    /// A mass hang-up: removals wait for the slot in progress without holding a thread, so
    /// they neither stall the concurrency pool nor hold the clock's lock against the clock.
    final class Removals: Sendable {
        let started = Atomic(0)
        let finished = Atomic(0)
    }

    @Test func removalsDuringASlotSuspendInsteadOfBlockingThreads() async throws {
        let clock = PacerClock(interval: .milliseconds(4))
        let pacer = Pacer(clock: clock)
        let streams = (0..<64).map { _ in OutboundStream(configuration: .init(payloadType: 0)) { _ in } }
        for stream in streams { pacer.add(stream) }
        // Holds the clock inside a slot until the test lets go, or for 3 s at most: blocking
        // removals would hold the pool's threads, and the test could not let go.
        let hold = Atomic(true)
        let inside = Atomic(false)
        clock.addHandler(stage: .pull) { _ in
            guard hold.load(ordering: .acquiring) else { return }
            inside.store(true, ordering: .releasing)
            let giveUp = MonotonicClock.now() + 3_000_000_000
            while hold.load(ordering: .acquiring), MonotonicClock.now() < giveUp { usleep(500) }
            hold.store(false, ordering: .releasing)
            inside.store(false, ordering: .releasing)
        }
        try clock.start()
        defer { clock.stop() }
        #expect(eventually { inside.load(ordering: .acquiring) })

        let removals = Removals()
        await withTaskGroup(of: Void.self) { group in
            for stream in streams {
                group.addTask {
                    removals.started.add(1, ordering: .relaxed)
                    await pacer.remove(stream)
                    removals.finished.add(1, ordering: .relaxed)
                }
            }
            // Blocking removals would take the pool's few threads and the rest would not start
            // until the slot ends; suspended ones all start while it lasts.
            let deadline = ContinuousClock.now + .seconds(10)
            while removals.started.load(ordering: .relaxed) < streams.count, ContinuousClock.now < deadline { await Task.yield() }
            #expect(removals.started.load(ordering: .relaxed) == streams.count)
            let slotStillRunning = inside.load(ordering: .acquiring)
            #expect(slotStillRunning, "the removals could not all start while the slot ran")
            #expect(removals.finished.load(ordering: .relaxed) == 0, "a removal returned while its stream's slot was still running")
            hold.store(false, ordering: .releasing)
        }
        #expect(removals.finished.load(ordering: .relaxed) == streams.count)
        #expect(pacer.stats.streams == 0)
    }

    @Test func pullHandlersRunOncePerTickBeforeSendHandlers() throws {
        let clock = PacerClock(interval: .milliseconds(4), slots: 4)
        let pacer = Pacer(clock: clock)
        let log = PacketLog()
        let stream = OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) }
        pacer.add(stream)
        // A loopback-style feeder: one frame per tick, queued on the clock just before sending.
        let fed = Mutex<[UInt64]>([])
        let feeder = clock.addHandler(stage: .pull) { tick in
            fed.withLock { $0.append(tick.index) }
            stream.enqueue(OutboundFrame(
                payload: [1], provenance: AudioProvenance(sourceID: 1, sampleOffset: Int64(tick.index), sampleCount: 1)))
        }
        try clock.start()
        #expect(eventually { log.count >= 20 })
        clock.removeHandler(feeder)
        clock.stop()
        let packets = log.all
        // Each frame left in the very tick that queued it: the queue never held more than one.
        #expect(packets.allSatisfy { UInt64($0.provenance.sampleOffset) == $0.tick })
        #expect(packets.filter(\.marker).count == 1)
        let fedTicks = fed.withLock { $0 }
        #expect(fedTicks.count >= packets.count)
        #expect(fedTicks == Array(fedTicks.indices).map { fedTicks[0] + UInt64($0) })
    }

    @Test func streamsAreSpreadOverSlotsEachOnItsOwnDriftFreeSchedule() throws {
        let slots = 4
        let clock = PacerClock(interval: .milliseconds(8), slots: slots)
        let pacer = Pacer(clock: clock)
        let logs = (0..<8).map { _ in PacketLog() }
        let streams = logs.map { log in OutboundStream(configuration: .init(payloadType: 0)) { log.append($0) } }
        for stream in streams {
            for frame in Self.frames(6, source: 1) { stream.enqueue(frame) }
            pacer.add(stream)
        }
        try clock.start()
        #expect(eventually { logs.allSatisfy { $0.count == 6 } })
        clock.stop()
        let interval: UInt64 = 8_000_000
        var phases: [UInt64] = []
        for log in logs {
            let packets = log.all
            // Every packet of a stream is due exactly one interval after the previous one.
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.deadline - $0.deadline == interval })
            phases.append((packets[0].deadline - packets[0].tick * interval) % interval)
        }
        // Two streams per slot: four distinct phases, 2 ms apart.
        let distinct = Set(phases).sorted()
        #expect(distinct.count == slots)
        #expect(zip(distinct, distinct.dropFirst()).allSatisfy { $1 - $0 == interval / UInt64(slots) })
    }

    @Test func stopJoinsTheClockAndIsIdempotent() throws {
        let clock = PacerClock(interval: .milliseconds(1))
        let ticks = Atomic(0)
        clock.addHandler(stage: .send) { _ in ticks.add(1, ordering: .relaxed) }
        try clock.start()
        try clock.start()
        #expect(eventually { ticks.load(ordering: .relaxed) >= 3 })
        clock.stop()
        let afterStop = ticks.load(ordering: .relaxed)
        clock.stop()
        #expect(eventually(seconds: 0.02) { ticks.load(ordering: .relaxed) != afterStop } == false)
        #expect(throws: TransportError.closed) { try clock.start() }
    }

    @Test func histogramPercentilesFollowTheRecordedErrors() {
        var histogram = SendErrorHistogram()
        // 98 packets 0.1 ms late, 2 packets 5 ms late.
        for _ in 0..<98 { histogram.record(sendTime: 1_100_000, deadline: 1_000_000) }
        for _ in 0..<2 { histogram.record(sendTime: 6_000_000, deadline: 1_000_000) }
        histogram.record(sendTime: 10, deadline: 20)
        #expect(histogram.count == 101)
        #expect(histogram.percentile(0.5) == 110_000)
        #expect(histogram.percentile(0.99) == 5_000_000)
        #expect(histogram.maximum == 5_000_000)
        #expect(SendErrorHistogram().percentile(0.99) == 0)
        // Beyond the last bucket the exact maximum is reported, not the bucket edge.
        var stalled = SendErrorHistogram()
        stalled.record(error: 150_000_000)
        #expect(stalled.percentile(0.5) == 150_000_000)
    }

    @Test func aWindowOfTheHistogramHoldsOnlyWhatCameAfterTheSnapshot() {
        var histogram = SendErrorHistogram()
        for _ in 0..<50 { histogram.record(error: 4_000_000) }
        let snapshot = histogram
        for _ in 0..<10 { histogram.record(error: 195_000) }
        let window = histogram.since(snapshot)
        #expect(window.count == 10)
        // Exact to a 10 µs bucket: its upper edge.
        #expect(window.percentile(0.99) == 200_000)
        #expect(window.maximum == 200_000)
        #expect(histogram.since(histogram).count == 0)
    }

    @Test func lateSendsAreCountedAboveTheThreshold() {
        var histogram = SendErrorHistogram()
        for error: UInt64 in [100_000, 1_995_000, 2_000_000, 2_010_000, 2_500_000, 150_000_000] { histogram.record(error: error) }
        // 2 ms itself is on time; from the next 10 µs bucket on, late (the stall beyond 20 ms too).
        #expect(histogram.count(above: 2_000_000) == 3)
        #expect(histogram.count(above: 0) == 6)
        #expect(SendErrorHistogram().count(above: 2_000_000) == 0)
    }
}
