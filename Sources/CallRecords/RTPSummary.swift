/// Inbound RTP statistics of one call, as the jitter buffer counted them.
public struct RTPSummary: Codable, Sendable, Equatable {
    /// Packets received from Asterisk.
    public var received: Int
    /// Packets never received (sequence gaps).
    public var lost: Int
    /// Packets that arrived after their playout time and were discarded.
    public var late: Int
    /// Interarrival jitter (RFC 3550), in milliseconds.
    public var jitterMs: Double

    public init(received: Int = 0, lost: Int = 0, late: Int = 0, jitterMs: Double = 0) {
        self.received = received
        self.lost = lost
        self.late = late
        self.jitterMs = jitterMs
    }
}
