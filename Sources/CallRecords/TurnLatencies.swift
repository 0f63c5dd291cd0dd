/// How long each stage of one turn took, in milliseconds, each measured from the end of the caller's speech.
///
/// A stage that did not happen (the caller barged in before audio, the recogniser gave nothing)
/// stays nil.
public struct TurnLatencies: Codable, Sendable, Equatable {
    /// End of speech → the recogniser's final transcript.
    public var recognizerFinalMs: Int?
    /// End of speech → the brain's first token.
    public var firstBrainTokenMs: Int?
    /// End of speech → the synthesiser's first audio.
    public var firstSynthesizedAudioMs: Int?
    /// End of speech → the first RTP packet of the answer left ura: voice-to-voice latency.
    public var firstRTPPacketMs: Int?
    /// Caller started speaking over the bot → the bot's audio stopped (barge-in only).
    public var bargeInStopMs: Int?

    public init(
        recognizerFinalMs: Int? = nil, firstBrainTokenMs: Int? = nil, firstSynthesizedAudioMs: Int? = nil,
        firstRTPPacketMs: Int? = nil, bargeInStopMs: Int? = nil
    ) {
        self.recognizerFinalMs = recognizerFinalMs
        self.firstBrainTokenMs = firstBrainTokenMs
        self.firstSynthesizedAudioMs = firstSynthesizedAudioMs
        self.firstRTPPacketMs = firstRTPPacketMs
        self.bargeInStopMs = bargeInStopMs
    }

    /// The voice-to-voice latency: what the caller perceives as the bot's reaction time.
    public var voiceToVoiceMs: Int? { firstRTPPacketMs }
}

extension TurnLatencies {
    /// Keys spelled so that JSON's snake_case conversion gives `first_rtp_packet_ms` both ways.
    enum CodingKeys: String, CodingKey {
        case recognizerFinalMs, firstBrainTokenMs, firstSynthesizedAudioMs, bargeInStopMs
        case firstRTPPacketMs = "firstRtpPacketMs"
    }
}
