import Synchronization
import Testing
@testable import Media

@Suite struct OutboundStreamTests {
    /// A stream with known initial values whose sink is not used (tests call `nextPacket`).
    static func makeStream(
        sequence: UInt16 = 1000, timestamp: UInt32 = 50_000, ticksPerFrame: UInt32 = 160, capacity: Int = 250
    ) -> OutboundStream {
        OutboundStream(
            configuration: .init(
                payloadType: 0, clockTicksPerFrame: ticksPerFrame, capacity: capacity, ssrc: 0xDEAD_BEEF,
                initialSequenceNumber: sequence, initialTimestamp: timestamp),
            sink: { _ in })
    }

    static func frame(source: UInt64 = 1, index: Int64, samples: Int = 160) -> OutboundFrame {
        OutboundFrame(
            payload: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 160),
            provenance: AudioProvenance(sourceID: source, sampleOffset: index * Int64(samples), sampleCount: samples))
    }

    static func tick(_ index: UInt64) -> PacerTick { PacerTick(index: index, deadline: 1_000 + index * 20_000_000) }

    @Test func sequenceAndTimestampStayContinuousAcrossTalkSpurts() {
        let stream = Self.makeStream()
        // Spurt 1: 3 frames on ticks 100–102; silence on ticks 103–107; spurt 2: 2 frames on 108–109.
        for index in 0..<3 { stream.enqueue(Self.frame(index: Int64(index))) }
        var packets: [OutboundPacket] = []
        for tick in UInt64(100)...109 {
            if tick == 108 {
                for index in 3..<5 { stream.enqueue(Self.frame(index: Int64(index))) }
            }
            if let packet = stream.nextPacket(for: Self.tick(tick)) { packets.append(packet) }
        }
        #expect(packets.map(\.sequenceNumber) == [1000, 1001, 1002, 1003, 1004])
        // The RTP clock ran on through the 5 silent ticks.
        #expect(packets.map(\.timestamp) == [50_000, 50_160, 50_320, 51_280, 51_440])
        #expect(packets.map(\.marker) == [true, false, false, true, false])
        #expect(packets.map(\.tick) == [100, 101, 102, 108, 109])
        #expect(packets.allSatisfy { $0.ssrc == 0xDEAD_BEEF && $0.payloadType == 0 })
        #expect(stream.stats.talkSpurts == 2)
        #expect(stream.stats.framesSent == 5)
    }

    @Test func aStreamSendsAtMostOnePacketPerTickEvenAcrossAFlush() {
        let stream = Self.makeStream()
        stream.enqueue(Self.frame(index: 0))
        let first = stream.nextPacket(for: Self.tick(4))
        // Barge-in flush and a new reply within the same tick: its first packet waits for tick 5,
        // or two packets would carry tick 4's RTP time.
        stream.flush()
        stream.enqueue(Self.frame(source: 2, index: 0))
        #expect(stream.isStartingSpurt(at: Self.tick(4)) == false)
        #expect(stream.nextPacket(for: Self.tick(4)) == nil)
        #expect(stream.isStartingSpurt(at: Self.tick(5)))
        let next = stream.nextPacket(for: Self.tick(5))
        #expect(first?.timestamp == 50_000)
        #expect(next?.timestamp == 50_160)
        #expect(next?.marker == true)
        #expect(stream.isStartingSpurt(at: Self.tick(6)) == false)
    }

    @Test func theFirstSendOfEachSourceIsDated() {
        let stream = Self.makeStream()
        let before = MonotonicClock.now()
        for index in 0..<2 { stream.enqueue(Self.frame(source: 7, index: Int64(index))) }
        #expect(stream.firstSentTime(for: 7) == nil)
        _ = stream.nextPacket(for: Self.tick(0))
        let sentAt = stream.firstSentTime(for: 7)
        _ = stream.nextPacket(for: Self.tick(1))
        #expect(sentAt != nil && sentAt! >= before && sentAt! <= MonotonicClock.now())
        #expect(stream.firstSentTime(for: 7) == sentAt)
    }

    @Test func anHourOfTicksDoesNotSlowTheFeederDown() {
        // The feeder once sat in a `Mutex` as a bare closure, which grew by two reabstraction
        // thunks per call: 20 000 calls took over a second and an hour overflowed the stack.
        let stream = Self.makeStream()
        let fed = Mutex(0)
        stream.setFeeder { _ in fed.withLock { $0 += 1 } }
        let start = ContinuousClock.now
        for index in 0..<UInt64(180_000) { stream.feed(Self.tick(index)) }
        #expect(fed.withLock { $0 } == 180_000)
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func aProducerWaitingForRoomIsWokenBySendsFlushesAndCancellation() async throws {
        let stream = Self.makeStream()
        for index in 0..<3 { stream.enqueue(Self.frame(index: Int64(index))) }
        // Room already there: no wait.
        await stream.waitForRoom(queuedBelow: 4)

        let woken = Mutex(false)
        let waiter = Task {
            await stream.waitForRoom(queuedBelow: 3)
            woken.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(woken.withLock { $0 } == false)
        _ = stream.nextPacket(for: Self.tick(0))
        await waiter.value
        #expect(woken.withLock { $0 })

        let drained = Task { await stream.waitForRoom(queuedBelow: 1) }
        try await Task.sleep(for: .milliseconds(20))
        stream.flush()
        await drained.value

        for index in 0..<3 { stream.enqueue(Self.frame(index: Int64(index))) }
        let cancelled = Task { await stream.waitForRoom(queuedBelow: 1) }
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        await cancelled.value
        #expect(stream.queuedFrames == 3)
    }

    @Test func skippedTicksAdvanceTheTimestampButSendNothingExtra() {
        let stream = Self.makeStream()
        for index in 0..<3 { stream.enqueue(Self.frame(index: Int64(index))) }
        let first = stream.nextPacket(for: Self.tick(0))
        // Ticks 1–5 were skipped by the clock after a stall.
        let second = stream.nextPacket(for: PacerTick(index: 6, deadline: 0, skippedBefore: 5))
        #expect(first?.timestamp == 50_000)
        #expect(second?.timestamp == UInt32(50_000 + 6 * 160))
        #expect(second?.sequenceNumber == 1001)
        #expect(second?.marker == false)
        #expect(stream.queuedFrames == 1)
    }

    @Test func sequenceNumberAndTimestampWrapAround() {
        let stream = Self.makeStream(sequence: 65534, timestamp: UInt32.max - 200)
        for index in 0..<3 { stream.enqueue(Self.frame(index: Int64(index))) }
        let packets = (0..<UInt64(3)).compactMap { stream.nextPacket(for: Self.tick($0)) }
        #expect(packets.map(\.sequenceNumber) == [65534, 65535, 0])
        #expect(packets.map(\.timestamp) == [UInt32.max - 200, UInt32.max - 40, 119])
    }

    @Test(arguments: [UInt32(160), 320, 480])
    func timestampStepIsTheConfiguredClockTicksPerFrame(ticksPerFrame: UInt32) {
        let stream = Self.makeStream(timestamp: 0, ticksPerFrame: ticksPerFrame)
        for index in 0..<2 { stream.enqueue(Self.frame(index: Int64(index))) }
        let first = stream.nextPacket(for: Self.tick(7))
        let second = stream.nextPacket(for: Self.tick(8))
        #expect(first?.timestamp == 0)
        #expect(second?.timestamp == ticksPerFrame)
    }

    @Test func flushDropsEverythingQueuedAndTheNextSpurtHasTheMarker() {
        let stream = Self.makeStream()
        for index in 0..<10 { stream.enqueue(Self.frame(source: 1, index: Int64(index))) }
        let before = (0..<UInt64(3)).compactMap { stream.nextPacket(for: Self.tick($0)) }
        #expect(stream.flush() == 7)
        #expect(stream.nextPacket(for: Self.tick(3)) == nil)
        stream.enqueue(Self.frame(source: 2, index: 0))
        let after = stream.nextPacket(for: Self.tick(4))
        #expect(before.count == 3)
        #expect(after?.provenance.sourceID == 2)
        #expect(after?.marker == true)
        #expect(after?.sequenceNumber == 1003)
        #expect(stream.stats.framesFlushed == 7)
    }

    @Test func flushDuringASpurtMarksTheNextPacketEvenWithoutASilentTick() {
        let stream = Self.makeStream()
        for index in 0..<5 { stream.enqueue(Self.frame(source: 1, index: Int64(index))) }
        _ = stream.nextPacket(for: Self.tick(0))
        stream.flush()
        stream.enqueue(Self.frame(source: 2, index: 0))
        #expect(stream.nextPacket(for: Self.tick(1))?.marker == true)
    }

    @Test func playedCursorFollowsWhatWasSentPerSource() {
        let stream = Self.makeStream()
        for index in 0..<4 { stream.enqueue(Self.frame(source: 7, index: Int64(index), samples: 480)) }
        #expect(stream.playedCursor(for: 7) == nil)
        _ = stream.nextPacket(for: Self.tick(0))
        _ = stream.nextPacket(for: Self.tick(1))
        #expect(stream.playedCursor(for: 7) == 960)
        // Barge-in: the two frames still queued were never heard.
        stream.flush()
        #expect(stream.playedCursor(for: 7) == 960)
        stream.enqueue(Self.frame(source: 8, index: 0, samples: 480))
        let packet = stream.nextPacket(for: Self.tick(2))
        #expect(packet?.provenance == AudioProvenance(sourceID: 8, sampleOffset: 0, sampleCount: 480))
        #expect(stream.lastSent == packet?.provenance)
        #expect(stream.playedCursor(for: 8) == 480)
        #expect(stream.playedCursor(for: 7) == 960)
    }

    @Test func playedCursorsAreKeptForTheMostRecentSourcesOnly() {
        let stream = Self.makeStream()
        for source in UInt64(1)...20 {
            stream.enqueue(Self.frame(source: source, index: 0))
            _ = stream.nextPacket(for: Self.tick(source))
        }
        #expect(stream.playedCursor(for: 20) == 160)
        #expect(stream.playedCursor(for: 5) == 160)
        #expect(stream.playedCursor(for: 4) == nil)
    }

    @Test func fullQueueRefusesFramesAndCountsThem() {
        let stream = Self.makeStream(capacity: 3)
        let accepted = (0..<5).map { stream.enqueue(Self.frame(index: Int64($0))) }
        #expect(accepted == [true, true, true, false, false])
        #expect(stream.stats.framesRejected == 2)
        #expect(stream.freeCapacity == 0)
        _ = stream.nextPacket(for: Self.tick(0))
        #expect(stream.freeCapacity == 1)
        #expect(stream.enqueue(Self.frame(index: 9)))
    }

    @Test func aQueueThatNeverEmptiesDoesNotKeepSentFrames() {
        let stream = Self.makeStream(capacity: 10)
        var sent: [Int64] = []
        var next: Int64 = 0
        for tick in UInt64(0)..<1_000 {
            while stream.freeCapacity > 0 {
                stream.enqueue(Self.frame(index: next))
                next += 1
            }
            if let packet = stream.nextPacket(for: Self.tick(tick)) { sent.append(packet.provenance.sampleOffset / 160) }
        }
        #expect(sent == Array(0..<1_000))
        #expect(stream.queuedFrames == 9)
        #expect(stream.storedFrames <= 2 * 32 + 10)
    }

    @Test func framesLeaveInOrderWithTheirPayload() {
        let stream = Self.makeStream()
        let frames = (0..<6).map { Self.frame(index: Int64($0)) }
        for frame in frames { stream.enqueue(frame) }
        let packets = (0..<UInt64(8)).compactMap { stream.nextPacket(for: Self.tick($0)) }
        #expect(packets.map(\.payload) == frames.map(\.payload))
        #expect(packets.map(\.provenance) == frames.map(\.provenance))
    }
}
