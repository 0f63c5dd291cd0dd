/// A media playback on a channel or a bridge.
public struct Playback: ARIDecodable, Hashable {
    /// A playback's state; `done` covers completed, stopped and cancelled.
    public enum State: Hashable, Sendable {
        case queued, playing, continuing, done, failed
        case other(String)

        init(_ text: String) {
            switch text {
            case "queued": self = .queued
            case "playing": self = .playing
            case "continuing": self = .continuing
            case "done": self = .done
            case "failed": self = .failed
            default: self = .other(text)
            }
        }
    }

    public var id: PlaybackID
    /// The media being played, e.g. `sound:hello-world`.
    public var mediaURI: String
    /// The next media in the list, when several were given.
    public var nextMediaURI: String?
    public var target: MediaTarget
    public var language: String?
    public var state: State

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Playback")
        id = PlaybackID(try object.string("id"))
        mediaURI = try object.string("media_uri")
        nextMediaURI = try object.optionalString("next_media_uri")
        target = MediaTarget(uri: try object.string("target_uri"))
        language = try object.optionalString("language")
        state = State(try object.string("state"))
    }
}
