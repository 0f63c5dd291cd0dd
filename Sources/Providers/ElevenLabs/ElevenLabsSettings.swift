import Foundation

/// Where and how ura reaches ElevenLabs' streaming text-to-speech.
public struct ElevenLabsSettings: Sendable {
    /// The audio ElevenLabs is asked for (`output_format`).
    public enum OutputFormat: String, Sendable, CaseIterable {
        /// G.711 µ-law at 8 kHz: on a µ-law line the bytes reach the caller unchanged.
        case ulaw8000 = "ulaw_8000"
        /// 16-bit little-endian PCM at 16 kHz, for wideband (G.722, slin16) lines.
        case pcm16000 = "pcm_16000"

        public var sampleRate: Int {
            switch self {
            case .ulaw8000: 8000
            case .pcm16000: 16000
            }
        }
    }

    /// `wss://api.elevenlabs.io/v1/text-to-speech`; the voice and `/stream-input` are appended.
    public var url: URL
    public var apiKey: String
    /// A voice id from the ElevenLabs voice library.
    public var voice: String
    /// `eleven_flash_v2_5` by default: the lowest latency, and it speaks Portuguese.
    public var model: String
    public var outputFormat: OutputFormat
    /// 0.7...1.2 (ElevenLabs' range); ura's `TTS_SPEED` is clamped into it.
    public var speed: Double
    /// Deadline for the connection and its handshake.
    public var connectTimeout: Duration
    /// Deadline from the text being sent to the first audio.
    public var firstAudioTimeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's (private deployments).
    public var caFile: String?

    public init(
        url: URL = URL(string: "wss://api.elevenlabs.io/v1/text-to-speech")!, apiKey: String, voice: String,
        model: String = "eleven_flash_v2_5", outputFormat: OutputFormat = .ulaw8000, speed: Double = 1,
        connectTimeout: Duration = .seconds(2), firstAudioTimeout: Duration = .seconds(5), caFile: String? = nil
    ) {
        self.url = url
        self.apiKey = apiKey
        self.voice = voice
        self.model = model
        self.outputFormat = outputFormat
        self.speed = min(max(speed, 0.7), 1.2)
        self.connectTimeout = connectTimeout
        self.firstAudioTimeout = firstAudioTimeout
        self.caFile = caFile
    }
}
