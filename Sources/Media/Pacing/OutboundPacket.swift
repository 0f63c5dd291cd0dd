/// A frame the pacer has stamped with RTP header fields and hands to a stream's sink.
///
/// It carries header fields rather than bytes, so serialising (and the RTP wire format) stays
/// with the sink; the provenance lets the sink, or whoever it tells, know what was sent.
public struct OutboundPacket: Sendable, Equatable {
    /// RTP synchronisation source of the stream.
    public var ssrc: UInt32
    /// RTP sequence number (one more than the previous packet's, modulo 2^16).
    public var sequenceNumber: UInt16
    /// RTP timestamp (advances with the clock, also through silence).
    public var timestamp: UInt32
    /// Set on the first packet of each talk spurt.
    public var marker: Bool
    /// RTP payload type.
    public var payloadType: UInt8
    /// The encoded audio.
    public var payload: [UInt8]
    /// Which audio the payload carries.
    public var provenance: AudioProvenance
    /// The pacer tick that sent it.
    public var tick: UInt64
    /// When it was due (CLOCK_MONOTONIC ns): the ideal send time.
    public var deadline: UInt64

    /// Creates a packet (the pacer makes them; tests make their own).
    public init(
        ssrc: UInt32, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, payloadType: UInt8,
        payload: [UInt8], provenance: AudioProvenance, tick: UInt64, deadline: UInt64
    ) {
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.marker = marker
        self.payloadType = payloadType
        self.payload = payload
        self.provenance = provenance
        self.tick = tick
        self.deadline = deadline
    }
}
