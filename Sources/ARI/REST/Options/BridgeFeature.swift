/// One element of a bridge's `type` list when creating it (default: `mixing`).
public enum BridgeFeature: String, Sendable, Hashable, CaseIterable {
    case mixing, holding
    /// Report DTMF passing through the bridge.
    case dtmfEvents = "dtmf_events"
    /// Keep media flowing through Asterisk (no native bridging).
    case proxyMedia = "proxy_media"
    case videoSFU = "video_sfu"
    case videoSingle = "video_single"
    case sdpLabel = "sdp_label"
}
