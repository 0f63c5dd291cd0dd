/// The pacer's timetable as a value: tick `n` is due at `origin + n × interval`, and each wake-up
/// asks which ticks to run now.
///
/// Deadlines are computed from the tick index, never by adding intervals to the last wake-up, so
/// lateness does not accumulate: after an hour tick 180 000 is still due exactly one hour after
/// the origin. After a stall (a late wake-up with several ticks overdue) at most
/// ``maxCatchUp`` overdue ticks run besides the newest one; the older ones are skipped, so the
/// wire sees a short bounded burst instead of a long one.
///
/// No I/O and no clock inside: ``advance(now:)`` takes the time as input, so tests run it on a
/// virtual clock. ``PacerClock`` is the thread that drives it with CLOCK_MONOTONIC.
public struct PacerSchedule: Sendable, Equatable {
    /// What one wake-up has to do.
    public struct Step: Sendable, Equatable {
        /// Tick indices to run now, oldest first (empty when woken early).
        public var ticks: Range<UInt64>
        /// Overdue ticks dropped just before ``ticks`` (their indices precede `ticks.lowerBound`).
        public var skipped: UInt64

        /// Creates a step (``PacerSchedule/advance(now:)`` makes them; tests compare with their own).
        public init(ticks: Range<UInt64>, skipped: UInt64) {
            self.ticks = ticks
            self.skipped = skipped
        }
    }

    /// When tick 0 is due, in nanoseconds of the driving clock.
    public let origin: UInt64
    /// Nanoseconds between ticks.
    public let interval: UInt64
    /// Overdue ticks that may still run in one wake-up besides the newest.
    public let maxCatchUp: Int
    /// The first tick not yet run or skipped.
    public private(set) var nextTick: UInt64 = 0
    /// Ticks returned to run so far.
    public private(set) var ticksRun: UInt64 = 0
    /// Ticks skipped so far.
    public private(set) var ticksSkipped: UInt64 = 0

    /// - Parameters:
    ///   - origin: due time of tick 0.
    ///   - interval: nanoseconds between ticks (20 ms = 20 000 000).
    ///   - maxCatchUp: overdue ticks run after a stall, besides the newest (0 = never catch up).
    public init(origin: UInt64, interval: UInt64, maxCatchUp: Int) {
        precondition(interval > 0, "PacerSchedule interval must be positive")
        precondition(maxCatchUp >= 0, "PacerSchedule maxCatchUp must not be negative, got \(maxCatchUp)")
        self.origin = origin
        self.interval = interval
        self.maxCatchUp = maxCatchUp
    }

    /// When tick `index` is due.
    public func deadline(ofTick index: UInt64) -> UInt64 { origin + index * interval }

    /// When the next tick is due: sleep until then.
    public var nextDeadline: UInt64 { deadline(ofTick: nextTick) }

    /// Decides which ticks run at `now` and moves past every due tick.
    ///
    /// - Parameter now: the current time on the clock `origin` refers to.
    /// - Returns: the ticks to run (the newest due ones, at most `maxCatchUp + 1`) and how many
    ///   older due ticks were skipped.
    public mutating func advance(now: UInt64) -> Step {
        guard now >= nextDeadline else { return Step(ticks: nextTick..<nextTick, skipped: 0) }
        let newest = (now - origin) / interval
        let due = newest - nextTick + 1
        let run = min(due, UInt64(maxCatchUp) + 1)
        let step = Step(ticks: (newest + 1 - run)..<(newest + 1), skipped: due - run)
        nextTick = newest + 1
        ticksRun += run
        ticksSkipped += step.skipped
        return step
    }
}
