import Foundation

/// Where and how ura reaches Deepgram's live speech-to-text.
public struct DeepgramSettings: Sendable {
    /// `wss://api.deepgram.com/v1/listen`, or a private deployment's.
    public var url: URL
    public var apiKey: String
    /// `nova-3` by default.
    public var model: String
    /// The silence after which Deepgram itself says the caller has finished (`endpointing`).
    public var endpointingMilliseconds: Int
    /// Deadline for the connection and its handshake.
    public var connectTimeout: Duration
    /// Deadline from the end of the audio to Deepgram's last words.
    public var finalTimeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's (private deployments).
    public var caFile: String?

    public init(
        url: URL = URL(string: "wss://api.deepgram.com/v1/listen")!, apiKey: String, model: String = "nova-3",
        endpointingMilliseconds: Int = 300, connectTimeout: Duration = .seconds(5),
        finalTimeout: Duration = .seconds(5), caFile: String? = nil
    ) {
        self.url = url
        self.apiKey = apiKey
        self.model = model
        self.endpointingMilliseconds = endpointingMilliseconds
        self.connectTimeout = connectTimeout
        self.finalTimeout = finalTimeout
        self.caFile = caFile
    }
}
