/// The chan_rtp formats the simulator speaks, with the payload type, clock and packet size
/// Asterisk uses for each (`main/rtp_engine.c` static table; captures for sizes).
enum AudioFormat: String, Sendable {
    case ulaw, alaw, slin, slin16, g722

    init?(name: String) { self.init(rawValue: name) }

    var payloadType: UInt8 {
        switch self {
        case .ulaw: 0
        case .alaw: 8
        case .slin: 10
        case .slin16: 118
        case .g722: 9
        }
    }

    /// PCM sample rate of the audio carried.
    var sampleRate: Int { self == .slin16 || self == .g722 ? 16000 : 8000 }

    /// RTP clock rate (G.722's is 8000 Hz by RFC 3551 although it carries 16 kHz audio).
    var rtpClockRate: Int { self == .slin16 ? 16000 : 8000 }

    /// RTP timestamp units that `count` samples at ``sampleRate`` span.
    func timestampUnits(forSamples count: Int) -> Int { count * rtpClockRate / sampleRate }
}
