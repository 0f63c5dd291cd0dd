import Testing
@testable import Media

@Suite("RTPStatistics")
struct RTPStatisticsTests {
    let start = ContinuousClock.now

    /// Feeds `sequence` offsets from `firstSequence` with 20 ms spacing and matching timestamps.
    func feed(
        _ offsets: [Int], firstSequence: UInt16, firstTimestamp: UInt32 = 1000, ssrc: UInt32 = 1,
        into statistics: inout RTPStatistics
    ) -> [RTPStatistics.Arrival] {
        offsets.enumerated().map { index, offset in
            statistics.record(
                sequenceNumber: firstSequence &+ UInt16(truncatingIfNeeded: offset),
                timestamp: firstTimestamp &+ UInt32(truncatingIfNeeded: offset * 160),
                ssrc: ssrc,
                arrival: start + .milliseconds(20 * index)
            )
        }
    }

    @Test("an in-order stream has no loss, reordering or duplicates")
    func inOrder() {
        var statistics = RTPStatistics(clockRate: 8000)
        let kinds = feed(Array(0..<50), firstSequence: 1234, into: &statistics)
        #expect(kinds.first == .first)
        #expect(kinds.dropFirst().allSatisfy { $0 == .inOrder })
        #expect(statistics.received == 50)
        #expect(statistics.lost == 0)
        #expect(statistics.duplicated == 0)
        #expect(statistics.reordered == 0)
        #expect(statistics.jitter < 1e-6)
    }

    @Test(
        "loss is counted across the 16-bit sequence wrap",
        arguments: [UInt16(65530), 65535, 0, 30000]
    )
    func lossAcrossWrap(firstSequence: UInt16) {
        var statistics = RTPStatistics(clockRate: 8000)
        let offsets = (0..<20).filter { ![3, 7, 8].contains($0) }
        _ = feed(offsets, firstSequence: firstSequence, into: &statistics)
        #expect(statistics.lost == 3)
        #expect(statistics.received == 17)
    }

    @Test("duplicates and reordering are told apart")
    func duplicatesAndReordering() {
        var statistics = RTPStatistics(clockRate: 8000)
        let kinds = feed([0, 1, 3, 2, 2, 3, 4, 1, 5], firstSequence: 65534, into: &statistics)
        #expect(kinds == [.first, .inOrder, .inOrder, .reordered, .duplicate, .duplicate, .inOrder, .duplicate, .inOrder])
        #expect(statistics.duplicated == 3)
        #expect(statistics.reordered == 1)
        #expect(statistics.lost == 0)
        #expect(statistics.received == 9)
    }

    @Test("a packet from before the first one widens the expected range instead of making loss negative")
    func reorderedBeforeFirst() {
        var statistics = RTPStatistics(clockRate: 8000)
        _ = feed([1, 2, 0, 3], firstSequence: 0, into: &statistics)
        #expect(statistics.lost == 0)
        #expect(statistics.reordered == 1)
    }

    @Test("a large jump is believed only when the next packet confirms it")
    func sequenceRestart() {
        var statistics = RTPStatistics(clockRate: 8000)
        var kinds = feed([0, 1, 2], firstSequence: 100, into: &statistics)
        kinds += feed([0], firstSequence: 40000, into: &statistics)  // a stray: ignored
        kinds += feed([3, 4], firstSequence: 100, into: &statistics)
        kinds += feed([0, 1, 2], firstSequence: 20000, into: &statistics)  // a restart
        #expect(kinds == [.first, .inOrder, .inOrder, .jump, .inOrder, .inOrder, .jump, .first, .inOrder])
        #expect(statistics.lost == 0)
    }

    @Test("an SSRC change restarts sequence tracking but keeps the call's counts")
    func ssrcChange() {
        var statistics = RTPStatistics(clockRate: 8000)
        _ = feed([0, 1, 3], firstSequence: 500, ssrc: 1, into: &statistics)
        let kinds = feed([0, 1, 2, 4], firstSequence: 9, ssrc: 2, into: &statistics)
        #expect(kinds.first == .first)
        #expect(statistics.sourceChanges == 1)
        #expect(statistics.lost == 2)
        #expect(statistics.received == 7)
    }

    @Test("interarrival jitter converges to the mean deviation of the transit time (RFC 3550 A.8)")
    func jitter() {
        var statistics = RTPStatistics(clockRate: 8000)
        // Every other packet arrives 4 ms late: |D| is 4 ms (32 units) for every pair.
        for index in 0..<400 {
            let delay: Duration = index.isMultiple(of: 2) ? .zero : .milliseconds(4)
            statistics.record(
                sequenceNumber: UInt16(index), timestamp: UInt32.max &- 10_000 &+ UInt32(index * 160), ssrc: 9,
                arrival: start + .milliseconds(20 * index) + delay
            )
        }
        #expect(abs(statistics.jitter - 32) < 0.01)
        #expect(abs(statistics.jitterMilliseconds - 4) < 0.01)
    }

    @Test("late, discarded, malformed and sent are plain counters")
    func counters() {
        var statistics = RTPStatistics(clockRate: 16000)
        statistics.recordLate()
        statistics.recordDiscarded()
        statistics.recordDiscarded()
        statistics.recordMalformed()
        statistics.recordSent()
        statistics.recordSent(4)
        #expect([statistics.late, statistics.discarded, statistics.malformed, statistics.sent] == [1, 2, 1, 5])
    }
}
