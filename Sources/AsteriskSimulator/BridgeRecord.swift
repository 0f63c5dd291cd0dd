/// The simulator's state of one ARI bridge, and its `Bridge` JSON.
struct BridgeRecord: Sendable {
    var id: String
    var name: String
    /// `mixing` or `holding`.
    var bridgeType: String
    var creationTime: String
    /// Member channel ids in join order.
    var channels: [String] = []
    /// Apps that get the bridge's events: those whose channels joined it.
    var apps: Set<String> = []

    var json: JSON {
        .object([
            ("id", .string(id)),
            ("technology", .string(bridgeType == "holding" ? "holding_bridge" : "simple_bridge")),
            ("bridge_type", .string(bridgeType)),
            ("bridge_class", "stasis"),
            ("creator", "Stasis"),
            ("name", .string(name)),
            ("channels", .array(channels.map(JSON.string))),
            ("creationtime", .string(creationTime)),
            ("video_mode", "talker"),
        ])
    }
}
