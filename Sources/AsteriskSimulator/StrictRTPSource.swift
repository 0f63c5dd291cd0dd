/// Strict RTP source learning as chan_rtp's instance does it (`strictrtp=yes`, probation 4).
///
/// Packets from the learned source (at first `external_host`) pass. A different source must
/// send 4 packets with consecutive sequence numbers; the 4th passes and that source becomes
/// the learned one. Everything else is dropped.
struct StrictRTPSource: Sendable {
    static let probation = 4

    private(set) var learned: UDPAddress
    private var candidate: UDPAddress?
    private var candidateNextSequence: UInt16 = 0
    private var candidateCount = 0

    init(expected: UDPAddress) { learned = expected }

    /// Whether a packet from `source` with `sequence` is accepted.
    mutating func admit(_ source: UDPAddress, sequence: UInt16) -> Bool {
        if source == learned {
            candidate = nil
            return true
        }
        if candidate == source, sequence == candidateNextSequence {
            candidateCount += 1
        } else {
            candidate = source
            candidateCount = 1
        }
        candidateNextSequence = sequence &+ 1
        guard candidateCount >= StrictRTPSource.probation else { return false }
        learned = source
        candidate = nil
        return true
    }
}
