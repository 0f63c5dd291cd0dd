import Foundation

/// Where and how ura reaches OpenAI's Realtime API (`wss://…/v1/realtime`).
public struct RealtimeSettings: Sendable {
    /// `wss://api.openai.com/v1/realtime`, or a compatible server's.
    public var url: URL
    /// Sent as `Authorization: Bearer`.
    public var apiKey: String?
    /// The transcription model of a transcription session, and of the caller's side of a
    /// speech-to-speech session.
    public var transcriptionModel: String
    /// The speech-to-speech model (`URA_BOT=realtime`).
    public var model: String
    /// The speech-to-speech model's voice.
    public var voice: String
    /// The silence after which the model's turn detection judges the caller done.
    public var silenceMilliseconds: Int
    /// Deadline for the connection and its handshake.
    public var connectTimeout: Duration
    /// Deadline from the end of the caller's audio to the transcript.
    public var finalTimeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's (private deployments).
    public var caFile: String?

    public init(
        url: URL = URL(string: "wss://api.openai.com/v1/realtime")!, apiKey: String?, transcriptionModel: String = "gpt-4o-transcribe",
        model: String = "gpt-realtime", voice: String = "alloy", silenceMilliseconds: Int = 500, connectTimeout: Duration = .seconds(2), finalTimeout: Duration = .seconds(5), caFile: String? = nil
    ) {
        self.url = url
        self.apiKey = apiKey
        self.transcriptionModel = transcriptionModel
        self.model = model
        self.voice = voice
        self.silenceMilliseconds = silenceMilliseconds
        self.connectTimeout = connectTimeout
        self.finalTimeout = finalTimeout
        self.caFile = caFile
    }

    /// The socket's headers: the key, when there is one.
    var headers: [(name: String, value: String)] { apiKey.map { [("Authorization", "Bearer \($0)")] } ?? [] }
}
