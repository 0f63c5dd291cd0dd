/// A recording in progress (or just finished) on a channel or bridge.
public struct LiveRecording: ARIDecodable, Hashable {
    /// A recording's state; `canceled` is how Asterisk spells it.
    public enum State: Hashable, Sendable {
        case queued, recording, paused, done, failed, canceled
        case other(String)

        init(_ text: String) {
            switch text {
            case "queued": self = .queued
            case "recording": self = .recording
            case "paused": self = .paused
            case "done": self = .done
            case "failed": self = .failed
            case "canceled", "cancelled": self = .canceled
            default: self = .other(text)
            }
        }
    }

    public var name: RecordingName
    /// The file format, e.g. `wav`.
    public var format: String
    /// What is recorded: `channel:<id>` or `bridge:<id>`.
    public var target: MediaTarget
    public var state: State
    /// Seconds recorded so far.
    public var duration: Int?
    /// Seconds of talking (needs silence detection).
    public var talkingDuration: Int?
    public var silenceDuration: Int?
    /// Why it failed.
    public var cause: String?

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "LiveRecording")
        name = RecordingName(try object.string("name"))
        format = try object.string("format")
        target = MediaTarget(uri: try object.string("target_uri"))
        state = State(try object.string("state"))
        duration = try object.optionalInt("duration")
        talkingDuration = try object.optionalInt("talking_duration")
        silenceDuration = try object.optionalInt("silence_duration")
        cause = try object.optionalString("cause")
    }
}
