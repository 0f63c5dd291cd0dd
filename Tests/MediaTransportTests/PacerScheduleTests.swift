import Randomness
import Testing
@testable import Media

@Suite struct PacerScheduleTests {
    static let interval: UInt64 = 20_000_000
    static let origin: UInt64 = 7_000_000_000

    @Test func noDriftOverOneSimulatedHourOfLateWakeUps() {
        var schedule = PacerSchedule(origin: Self.origin, interval: Self.interval, maxCatchUp: 3)
        var generator = SeededRandom(seed: 42)
        var ran: [UInt64] = []
        ran.reserveCapacity(180_000)
        var skipped: UInt64 = 0
        let hour: UInt64 = 3_600_000_000_000
        // Each wake-up comes 0–5 ms after the deadline, as a busy host would deliver it.
        while schedule.nextDeadline < Self.origin + hour {
            let now = schedule.nextDeadline + UInt64.random(in: 0...5_000_000, using: &generator)
            let step = schedule.advance(now: now)
            skipped += step.skipped
            ran.append(contentsOf: step.ticks)
        }
        #expect(skipped == 0)
        #expect(ran.count == 180_000)
        #expect(ran == Array(0..<180_000))
        #expect(schedule.deadline(ofTick: 180_000) == Self.origin + hour)
        #expect(schedule.ticksRun == 180_000)
        #expect(schedule.ticksSkipped == 0)
    }

    @Test func wakingBeforeTheDeadlineRunsNothing() {
        var schedule = PacerSchedule(origin: Self.origin, interval: Self.interval, maxCatchUp: 3)
        let step = schedule.advance(now: Self.origin - 1)
        #expect(step.ticks.isEmpty)
        #expect(schedule.nextTick == 0)
        #expect(schedule.advance(now: Self.origin).ticks == 0..<1)
    }

    struct Stall: Sendable, CustomTestStringConvertible {
        var maxCatchUp: Int
        /// How many intervals late the wake-up after tick 9 comes.
        var lateBy: UInt64
        var expectedTicks: Range<UInt64>
        var expectedSkipped: UInt64
        var testDescription: String { "catch-up \(maxCatchUp), \(lateBy) intervals late" }
    }

    @Test(arguments: [
        Stall(maxCatchUp: 3, lateBy: 1, expectedTicks: 10..<11, expectedSkipped: 0),
        Stall(maxCatchUp: 3, lateBy: 3, expectedTicks: 10..<13, expectedSkipped: 0),
        Stall(maxCatchUp: 3, lateBy: 4, expectedTicks: 10..<14, expectedSkipped: 0),
        Stall(maxCatchUp: 3, lateBy: 10, expectedTicks: 16..<20, expectedSkipped: 6),
        Stall(maxCatchUp: 0, lateBy: 10, expectedTicks: 19..<20, expectedSkipped: 9),
        Stall(maxCatchUp: 1, lateBy: 500, expectedTicks: 508..<510, expectedSkipped: 498),
    ])
    func catchUpAfterAStallIsBoundedAndTheRestIsSkipped(stall: Stall) {
        var schedule = PacerSchedule(origin: Self.origin, interval: Self.interval, maxCatchUp: stall.maxCatchUp)
        for tick in 0..<UInt64(10) {
            #expect(schedule.advance(now: schedule.deadline(ofTick: tick)).ticks == tick..<(tick + 1))
        }
        // Tick 10 is due now; the wake-up comes `lateBy` intervals later (plus a little).
        let now = schedule.deadline(ofTick: 10) + (stall.lateBy - 1) * Self.interval + 1_000
        let step = schedule.advance(now: now)
        #expect(step.ticks == stall.expectedTicks)
        #expect(step.skipped == stall.expectedSkipped)
        #expect(UInt64(step.ticks.count) <= UInt64(stall.maxCatchUp) + 1)
        #expect(schedule.ticksSkipped == stall.expectedSkipped)
        #expect(schedule.ticksRun == 10 + UInt64(step.ticks.count))
        // Afterwards the grid is unchanged: the next tick is due on the original schedule.
        #expect(schedule.nextDeadline == Self.origin + stall.expectedTicks.upperBound * Self.interval)
        #expect(schedule.advance(now: schedule.nextDeadline).ticks.count == 1)
    }

    @Test func slotsSplitEachTickAndStallsAreBoundedInWholeTicks() {
        let slots = 10
        var schedule = PacerSchedule(origin: Self.origin, tickInterval: Self.interval, slots: slots, maxCatchUpTicks: 3)
        let first = schedule.advance(now: Self.origin + 3 * Self.interval / 10)
        let ticks = first.ticks.map { schedule.pacerTick(slotIndex: $0, slots: slots, in: first) }
        #expect(ticks.map(\.index) == [0, 0, 0, 0])
        #expect(ticks.map(\.slot) == [0, 1, 2, 3])
        #expect(ticks.map(\.deadline) == (0..<4).map { Self.origin + UInt64($0) * 2_000_000 })

        // A 200 ms stall: each slot runs at most 4 times (3 ticks of catch-up + the current one).
        let stalled = schedule.advance(now: Self.origin + 10 * Self.interval + 3 * Self.interval / 10)
        let run = stalled.ticks.map { schedule.pacerTick(slotIndex: $0, slots: slots, in: stalled) }
        let runsPerSlot = Dictionary(grouping: run, by: \.slot).mapValues(\.count)
        #expect(runsPerSlot.values.allSatisfy { $0 <= 4 })
        #expect(run.count == 40)
        #expect(stalled.skipped == 104 - 4 - 40)
        #expect(run.first?.skippedBefore == stalled.skipped)
        #expect(run.dropFirst().allSatisfy { $0.skippedBefore == 0 })
        // The newest slot run is tick 10 slot 3, due exactly on the original grid.
        #expect(run.last.map { ($0.index, $0.slot) } ?? (0, 0) == (10, 3))
        #expect(run.last?.deadline == Self.origin + 10 * Self.interval + 3 * 2_000_000)
    }
}
