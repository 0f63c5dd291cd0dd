/// One 20 ms beat of the ``PacerClock``, as handed to every tick handler.
public struct PacerTick: Sendable, Equatable {
    /// Tick number since the clock started; RTP timestamps are derived from it, so they keep
    /// advancing through silence and skipped ticks.
    public var index: UInt64
    /// When the tick was due (CLOCK_MONOTONIC ns): the ideal send time of what it sends.
    public var deadline: UInt64
    /// Ticks skipped right before this one after a stall (0 normally).
    public var skippedBefore: UInt64

    public init(index: UInt64, deadline: UInt64, skippedBefore: UInt64 = 0) {
        self.index = index
        self.deadline = deadline
        self.skippedBefore = skippedBefore
    }
}
