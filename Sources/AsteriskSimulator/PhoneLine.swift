/// How a ``SyntheticCaller``'s phone sends its RTP, and what Asterisk passes on of it to the
/// externalMedia leg (captures/README.md, last section, from a real Asterisk 22.10.1):
///
/// - **Packetisation**: the phone's ptime (10, 20, 30, 40, 60 ms are all in use) reaches ura
///   as it is: a 30 ms phone gives 240-byte µ-law payloads with timestamp step 240; nothing
///   repacketises to 20 ms.
/// - **Timestamp jumps**: at a replay, hold/resume, re-INVITE or transfer the phone moves its
///   timestamp base; Asterisk forwards the jump with the sequence running on (same SSRC, no
///   marker), and the packet comes a little later than its turn (a 54–56 ms gap where 30 ms was due).
/// - **Source changes**: a new SSRC, with fresh sequence numbers and timestamps.
/// - **Silence suppression**: the phone sends nothing while it is silent; its timestamps go on
///   counting the pause and its sequence numbers do not (RFC 3551 §4.1).
public struct PhoneLine: Sendable, Equatable {
    /// A jump of the phone's RTP timestamps at one moment of the call.
    public struct TimestampJump: Sendable, Equatable {
        /// When, from the answer: the first packet sent at or after this carries the jump.
        public var at: Duration
        /// How far the timestamp moves (negative: back, as a replay does).
        public var by: Int32
        /// How much later than its turn that packet and every later one arrive.
        public var delay: Duration

        public init(at: Duration, by: Int32, delay: Duration = .milliseconds(25)) {
            self.at = at
            self.by = by
            self.delay = delay
        }
    }

    /// Audio per packet, 1 sample to 120 ms (default 20 ms).
    public var ptime: Duration
    /// Timestamp jumps, in time order.
    public var timestampJumps: [TimestampJump]
    /// Moments (from the answer) at which the phone starts a new RTP source.
    public var sourceChanges: [Duration]
    /// Whether packets of pure digital silence are not sent at all.
    public var silenceSuppression: Bool

    public init(
        ptime: Duration = .milliseconds(20), timestampJumps: [TimestampJump] = [], sourceChanges: [Duration] = [],
        silenceSuppression: Bool = false
    ) {
        self.ptime = ptime
        self.timestampJumps = timestampJumps
        self.sourceChanges = sourceChanges
        self.silenceSuppression = silenceSuppression
    }

    /// Samples per packet at `sampleRate`, at least one, at most 120 ms.
    func samplesPerPacket(sampleRate: Int) -> Int {
        let seconds = Double(ptime.components.seconds) + Double(ptime.components.attoseconds) * 1e-18
        return min(max(1, Int((seconds * Double(sampleRate)).rounded())), sampleRate * 120 / 1000)
    }
}

/// One packet's worth of a phone's audio on its way to the externalMedia leg.
struct UplinkPacket {
    /// The audio at the phone's rate.
    var samples: [Int16]
    /// RTP timestamp units to add before this packet, beyond the audio sent so far (a jump, or
    /// suppressed silence), at the phone's rate.
    var timestampSkip: Int64 = 0
    /// The phone started a new RTP source with this packet.
    var newSource = false
}
