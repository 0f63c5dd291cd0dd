/// What a playback plays to, or a recording records: parsed from a `target_uri` such as `channel:<id>`.
public enum MediaTarget: Hashable, Sendable {
    case channel(ChannelID)
    case bridge(BridgeID)
    /// Any other target (endpoints, or a form this version does not know), as written.
    case other(String)

    /// The target a `target_uri` names.
    public init(uri: String) {
        if uri.hasPrefix("channel:") {
            self = .channel(ChannelID(String(uri.dropFirst("channel:".count))))
        } else if uri.hasPrefix("bridge:") {
            self = .bridge(BridgeID(String(uri.dropFirst("bridge:".count))))
        } else {
            self = .other(uri)
        }
    }
}

extension Playback {
    /// What this playback plays to.
    public var target: MediaTarget { MediaTarget(uri: targetURI) }
}

extension LiveRecording {
    /// What this recording records.
    public var target: MediaTarget { MediaTarget(uri: targetURI) }
}
