/// What the simulator counted; tests and benchmarks read these to check behaviour and leaks.
public struct SimulatorCounters: Sendable, Equatable {
    /// Calls that reached `Stasis()` while their app had no socket (STASISSTATUS=FAILED), and
    /// externalMedia channels whose app had none.
    public var failedStasis = 0
    /// `StasisBroadcast()` calls nobody claimed in time (STASISSTATUS=TIMEOUT).
    public var broadcastTimeouts = 0
    /// Claims answered 409 because another app had claimed the channel first.
    public var claimConflicts = 0
    /// Events sockets closed because the consumer did not read within the write timeout.
    public var slowConsumerDisconnects = 0
    /// Events dropped because their app had no socket ("Inactive Stasis app ... missed message").
    public var missedEvents = 0
    /// RTP packets sent to `external_host`.
    public var rtpPacketsSent = 0
    /// RTP packets accepted from the external side.
    public var rtpPacketsReceived = 0
    /// Packets with a dynamic payload type (≥ 35), dropped as chan_rtp does without SDP.
    public var rtpDroppedDynamicPayload = 0
    /// Static payload types the simulator has no decoder for (e.g. GSM), dropped.
    public var rtpDroppedUndecodable = 0
    /// Packets from a source that strict RTP had not (yet) learned.
    public var rtpDroppedStrictSource = 0
    /// Datagrams too short or not RTP version 2.
    public var rtpDroppedMalformed = 0

    /// All zero.
    public init() {}
}
