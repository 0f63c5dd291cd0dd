extension PacerSchedule {
    /// A schedule whose units are slots: tick `n` slot `s` is schedule tick `n × slots + s`,
    /// due at `origin + n × tickInterval + s × tickInterval / slots`.
    ///
    /// Catch-up is bounded in whole ticks (`maxCatchUpTicks`), so after a stall every slot, and
    /// so every stream, catches up at most `maxCatchUpTicks` frames.
    init(origin: UInt64, tickInterval: UInt64, slots: Int, maxCatchUpTicks: Int) {
        self.init(origin: origin, interval: tickInterval / UInt64(slots), maxCatchUp: (maxCatchUpTicks + 1) * slots - 1)
    }

    /// The ``PacerTick`` handed to handlers for schedule tick `slotIndex` of `step`.
    func pacerTick(slotIndex: UInt64, slots: Int, in step: Step) -> PacerTick {
        PacerTick(
            index: slotIndex / UInt64(slots), slot: Int(slotIndex % UInt64(slots)),
            deadline: deadline(ofTick: slotIndex),
            skippedBefore: slotIndex == step.ticks.lowerBound ? step.skipped : 0)
    }
}
