/// One slot of a ``PacerClock`` tick, as handed to the tick handlers.
///
/// Tick `index` starts every 20 ms; a tick has ``PacerClock/slots`` slots, and each stream is
/// served in one of them. ``deadline`` is the slot's own due time, the ideal send time of the
/// packets sent in it.
public struct PacerTick: Sendable, Equatable {
    /// Tick number since the clock started; RTP timestamps are derived from it, so they keep
    /// advancing through silence and skipped ticks.
    public var index: UInt64
    /// Slot within the tick (0 ..< ``PacerClock/slots``).
    public var slot: Int
    /// When this slot was due (CLOCK_MONOTONIC ns): the ideal send time of what it sends.
    public var deadline: UInt64
    /// Slots skipped right before this one after a stall (0 normally).
    public var skippedBefore: UInt64

    /// Creates a tick (the clock makes them; tests make their own).
    public init(index: UInt64, slot: Int = 0, deadline: UInt64, skippedBefore: UInt64 = 0) {
        self.index = index
        self.slot = slot
        self.deadline = deadline
        self.skippedBefore = skippedBefore
    }
}
