/// An audio format ura exchanges with Asterisk over RTP, named as ARI's externalMedia `format`.
///
/// Holds the facts measured on Asterisk 22 (captures/README.md): payload types from Asterisk's
/// static table, big-endian slin, G.722's 8 kHz RTP clock for 16 kHz audio, and that slin16
/// cannot be sent back. `MEDIA_FORMAT` is one of the formats that can be sent; the codecs
/// come from the Media module (``makeDecoder()`` there).
public enum AudioFormat: String, CaseIterable, Hashable, Sendable {
    /// G.711 µ-law, PT 0.
    case ulaw
    /// G.711 A-law, PT 8.
    case alaw
    /// 16-bit linear PCM at 8 kHz, big-endian, PT 10.
    case slin
    /// 16-bit linear PCM at 16 kHz, big-endian, PT 118. Receive only.
    case slin16
    /// G.722 at 64 kbit/s, PT 9: 16 kHz audio, RTP clock 8000 (RFC 3551).
    case g722

    /// The ARI / Asterisk name of the format.
    public var name: String { rawValue }

    /// The RTP payload type Asterisk uses for this format.
    public var payloadType: UInt8 {
        switch self {
        case .ulaw: 0
        case .alaw: 8
        case .g722: 9
        case .slin: 10
        case .slin16: 118
        }
    }

    /// The rate of the PCM audio the codec carries.
    public var audioSampleRate: SampleRate {
        switch self {
        case .ulaw, .alaw, .slin: .hz8000
        case .slin16, .g722: .hz16000
        }
    }

    /// The RTP timestamp clock rate: 8000 for G.722 although its audio is 16 kHz.
    public var rtpClockRate: Int {
        switch self {
        case .ulaw, .alaw, .slin, .g722: 8000
        case .slin16: 16000
        }
    }

    /// Whether Asterisk accepts this format from ura over chan_rtp.
    public var canSend: Bool { self != .slin16 }

    /// PCM samples in one 20 ms frame at ``audioSampleRate``.
    public var samplesPerFrame: Int { audioSampleRate.samplesPerFrame }

    /// RTP timestamp advance per 20 ms frame.
    public var timestampStepPerFrame: Int { rtpClockRate * FrameTiming.milliseconds / 1000 }

    /// Payload bytes in one 20 ms frame.
    public var payloadBytesPerFrame: Int { payloadByteCount(forSampleCount: samplesPerFrame) }

    /// Payload bytes that carry `count` PCM samples.
    public func payloadByteCount(forSampleCount count: Int) -> Int {
        switch self {
        case .ulaw, .alaw: count
        case .slin, .slin16: 2 * count
        case .g722: count / 2
        }
    }

    /// PCM samples carried by a payload of `count` bytes (a trailing partial sample is ignored).
    public func sampleCount(forPayloadByteCount count: Int) -> Int {
        switch self {
        case .ulaw, .alaw: count
        case .slin, .slin16: count / 2
        case .g722: 2 * count
        }
    }
}
