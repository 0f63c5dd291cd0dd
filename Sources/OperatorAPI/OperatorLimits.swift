/// How much of ura one operator client may take: event streams at once, calls placed per minute.
public struct OperatorLimits: Sendable, Equatable {
    /// Live event streams open at once (`OPERATOR_MAX_EVENT_STREAMS`); beyond, 503.
    public var maximumEventStreams: Int
    /// Calls that may be placed per minute on average (`OPERATOR_ORIGINATE_PER_MINUTE`); beyond, 429.
    public var originatesPerMinute: Int
    /// Calls that may be placed at once before the per-minute rate applies (`OPERATOR_ORIGINATE_BURST`).
    public var originateBurst: Int

    public init(maximumEventStreams: Int = 32, originatesPerMinute: Int = 60, originateBurst: Int = 10) {
        self.maximumEventStreams = maximumEventStreams
        self.originatesPerMinute = originatesPerMinute
        self.originateBurst = originateBurst
    }
}
