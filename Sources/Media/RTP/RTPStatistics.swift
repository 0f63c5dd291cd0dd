/// Counters and interarrival jitter for one call's RTP: the inbound stream, plus what was sent.
///
/// Sequence tracking follows RFC 3550 appendix A.1/A.3: 16-bit sequence numbers are extended
/// with a wrap count, so loss stays right across 65535 → 0, and a jump of more than
/// ``maxDropout`` packets is only believed when the next packet confirms it (a restarted
/// sender). Interarrival jitter follows appendix A.8, computed from differences so that RTP
/// timestamp wrap-around is harmless.
///
/// Phones move their RTP timestamp base while the sequence runs on (a replayed prompt went back
/// 56400 at once on a real Asterisk 22 line; hold, re-INVITE and transfer do the same). Such a
/// jump is a new origin of the sender's clock, not transit-time variation: a difference D of
/// more than ``maxTransitStep`` re-anchors the transit reference and is counted in
/// ``timestampJumps``, so one jump does not read as hundreds of milliseconds of jitter for the
/// rest of the call. Silence suppression (timestamps advance with the pause) keeps D near zero
/// and is ordinary jitter arithmetic.
///
/// The counters cover the whole call: when the SSRC changes (a re-invite, a transfer), tracking
/// restarts for the new source and what was lost from the old one is kept.
///
/// A value type with no locking: the owner serialises access (``JitterBuffer`` keeps one under
/// its lock; a send path keeps its own for ``sent``).
public struct RTPStatistics: Hashable, Sendable {
    /// How ``record(sequenceNumber:timestamp:ssrc:arrival:)`` classified a packet.
    public enum Arrival: Hashable, Sendable {
        /// The first packet of a source (or of a confirmed restart).
        case first
        /// The next packet, or one after a gap.
        case inOrder
        /// Older than the highest sequence number seen, not seen before.
        case reordered
        /// A sequence number already received.
        case duplicate
        /// A large jump, not yet confirmed by a following packet; not counted as received data.
        case jump
    }

    /// Largest forward gap still taken as loss rather than a restart (RFC 3550 A.1).
    public static let maxDropout = 3000
    /// Largest backward step still taken as reordering rather than a restart (RFC 3550 A.1).
    public static let maxMisorder = 100
    /// Largest transit-time difference between two packets still taken as jitter; beyond it the
    /// sender's timestamps jumped. No voice path that is still usable delays one packet by a
    /// quarter second more than its neighbour.
    public static let maxTransitStep = Duration.milliseconds(250)

    /// Packets that parsed and were accepted for this call, duplicates included.
    public private(set) var received = 0
    /// Received packets whose sequence number had already been received.
    public private(set) var duplicated = 0
    /// Received packets older than one already received.
    public private(set) var reordered = 0
    /// Packets that arrived after their playout time (reported by the jitter buffer).
    public private(set) var late = 0
    /// Packets the jitter buffer discarded because it held more than its depth limit.
    public private(set) var discarded = 0
    /// Datagrams that were not RTP, or carried a payload type other than the call's format.
    public private(set) var malformed = 0
    /// Times the inbound SSRC changed.
    public private(set) var sourceChanges = 0
    /// Times the sender's timestamps jumped with its sequence running on (re-anchored, not jitter).
    public private(set) var timestampJumps = 0
    /// Packets sent to Asterisk.
    public private(set) var sent = 0
    /// Interarrival jitter in RTP clock units (RFC 3550 A.8).
    public private(set) var jitter: Double = 0

    /// The RTP clock rate of the inbound stream (8000 for G.711, slin and G.722; 16000 for slin16).
    public let clockRate: Int

    private var lostInEarlierSegments = 0
    private var source: SourceState?
    private var reference: ContinuousClock.Instant?

    /// Creates empty statistics for a stream whose RTP clock runs at `clockRate` Hz.
    public init(clockRate: Int) {
        precondition(clockRate > 0, "RTP clock rate must be positive, got \(clockRate)")
        self.clockRate = clockRate
    }

    /// Packets expected from the sequence numbers seen but never received (never negative).
    public var lost: Int { lostInEarlierSegments + (source?.lost ?? 0) }

    /// Interarrival jitter in milliseconds.
    public var jitterMilliseconds: Double { jitter * 1000 / Double(clockRate) }

    /// Counts one received packet and updates jitter.
    ///
    /// - Parameters:
    ///   - arrival: when the datagram was read from the socket (any monotonic origin).
    /// - Returns: how the packet relates to those before it.
    @discardableResult
    public mutating func record(
        sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, arrival: ContinuousClock.Instant
    ) -> Arrival {
        received += 1
        guard var current = source, current.ssrc == ssrc else {
            if let old = source {
                lostInEarlierSegments += old.lost
                sourceChanges += 1
            }
            var fresh = SourceState(ssrc: ssrc, sequenceNumber: sequenceNumber)
            fresh.lastTransit = updateJitter(timestamp: timestamp, arrival: arrival, previous: nil)
            source = fresh
            return .first
        }
        let arrivalKind = current.classify(sequenceNumber)
        switch arrivalKind {
        case .first:
            lostInEarlierSegments += current.lost
            current = SourceState(ssrc: ssrc, sequenceNumber: sequenceNumber)
            current.lastTransit = updateJitter(timestamp: timestamp, arrival: arrival, previous: nil)
        case .inOrder:
            current.lastTransit = updateJitter(timestamp: timestamp, arrival: arrival, previous: current.lastTransit)
        case .reordered:
            reordered += 1
            // A packet from before a timestamp jump must not move the reference back across it.
            let transit = updateJitter(timestamp: timestamp, arrival: arrival, previous: current.lastTransit, reanchors: false)
            if transit != nil { current.lastTransit = transit }
        case .duplicate:
            duplicated += 1
        case .jump:
            break
        }
        source = current
        return arrivalKind
    }

    /// Counts a packet that came after its playout time.
    public mutating func recordLate() { late += 1 }

    /// Counts a packet dropped because the jitter buffer was full.
    public mutating func recordDiscarded() { discarded += 1 }

    /// Counts a datagram dropped as malformed or of the wrong payload type.
    public mutating func recordMalformed() { malformed += 1 }

    /// Counts `count` packets sent.
    public mutating func recordSent(_ count: Int = 1) { sent += count }

    /// Folds one packet into ``jitter`` and returns its transit record for the next packet.
    ///
    /// A difference beyond ``maxTransitStep`` is a timestamp jump: the packet becomes the new
    /// reference (counted in ``timestampJumps``), or with `reanchors` false it is left out and
    /// nil comes back.
    private mutating func updateJitter(
        timestamp: UInt32, arrival: ContinuousClock.Instant, previous: SourceState.Transit?, reanchors: Bool = true
    ) -> SourceState.Transit? {
        let origin = reference ?? arrival
        reference = origin
        let arrivalUnits = Self.seconds(arrival - origin) * Double(clockRate)
        let transit = SourceState.Transit(arrivalUnits: arrivalUnits, timestamp: timestamp)
        guard let previous else { return transit }
        // D(i,j) = (Rj - Ri) - (Sj - Si); the timestamp difference is taken modulo 2^32 and read
        // as signed, so a wrap between the two packets is invisible.
        let timestampDelta = Double(Int32(bitPattern: timestamp &- previous.timestamp))
        let d = (arrivalUnits - previous.arrivalUnits) - timestampDelta
        guard abs(d) <= Self.seconds(Self.maxTransitStep) * Double(clockRate) else {
            guard reanchors else { return nil }
            timestampJumps += 1
            return transit
        }
        jitter += (abs(d) - jitter) / 16
        return transit
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

extension RTPStatistics {
    /// Sequence state of one source: RFC 3550 A.1 plus a bitmap of the last 128 sequence
    /// numbers, which tells duplicates from reordered packets.
    fileprivate struct SourceState: Hashable, Sendable {
        struct Transit: Hashable, Sendable {
            var arrivalUnits: Double
            var timestamp: UInt32
        }

        static let windowSize = 128

        let ssrc: UInt32
        var baseSequence: Int64
        var highestSequence: Int64
        var uniqueReceived = 1
        /// Bit i set: sequence `highestSequence - i` was received.
        var recent: UInt128 = 1
        var pendingJump: UInt16?
        var lastTransit: Transit?

        init(ssrc: UInt32, sequenceNumber: UInt16) {
            self.ssrc = ssrc
            // Start one cycle up so that packets reordered before the first stay positive.
            baseSequence = 65536 + Int64(sequenceNumber)
            highestSequence = baseSequence
        }

        var lost: Int { max(0, Int(highestSequence - baseSequence + 1) - uniqueReceived) }

        mutating func classify(_ sequenceNumber: UInt16) -> Arrival {
            let delta = Int(sequenceNumber &- UInt16(truncatingIfNeeded: highestSequence))
            if delta == 0 { return .duplicate }
            if delta < RTPStatistics.maxDropout {
                pendingJump = nil
                highestSequence += Int64(delta)
                recent = delta >= Self.windowSize ? 1 : (recent << delta) | 1
                uniqueReceived += 1
                return .inOrder
            }
            if delta <= 65536 - RTPStatistics.maxMisorder {
                if pendingJump == sequenceNumber { return .first }
                pendingJump = sequenceNumber &+ 1
                return .jump
            }
            let back = 65536 - delta
            let sequence = highestSequence - Int64(back)
            if back < Self.windowSize {
                let bit: UInt128 = 1 << back
                if recent & bit != 0 { return .duplicate }
                recent |= bit
            }
            baseSequence = min(baseSequence, sequence)
            uniqueReceived += 1
            return .reordered
        }
    }
}
