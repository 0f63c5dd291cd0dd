/// Bridges. ARI bridges live until deleted: empty ones and those of a dropped socket included.
extension ARIClient {
    /// Creates a bridge.
    /// - Parameters:
    ///   - features: the `type` list; empty means Asterisk's default (`mixing`).
    ///   - id: the id to give it (ura's ids carry a prefix so leftovers can be found).
    public func createBridge(
        features: [BridgeFeature] = [.mixing], id: BridgeID? = nil, name: String? = nil, variables: [String: String] = [:]
    ) async throws -> Bridge {
        var parameters = JSONObject()
        if !features.isEmpty { parameters.set("type", .string(features.map(\.rawValue).joined(separator: ","))) }
        parameters.set("bridgeId", id.map { .string($0.rawValue) })
        parameters.set("name", name.map(JSONValue.string))
        if !variables.isEmpty { parameters.set("variables", .variables(variables)) }
        return try await send("bridges.create", .post, ["bridges"], parameters)
    }

    /// A snapshot of one bridge, with its ``Bridge/channels``.
    public func bridge(_ id: BridgeID) async throws -> Bridge {
        try await send("bridges.get", .get, ["bridges", id.rawValue])
    }

    /// Every bridge of the system.
    public func listBridges() async throws -> [Bridge] {
        try await send("bridges.list", .get, ["bridges"])
    }

    /// Destroys a bridge; its channels stay up, outside it.
    public func deleteBridge(_ id: BridgeID) async throws {
        try await send("bridges.destroy", .delete, ["bridges", id.rawValue])
    }

    /// Adds channels to a bridge (422 if one is not in Stasis; 400 "Channel not found" for an unknown one).
    /// - Parameters:
    ///   - role: the channel's bridge role (e.g. `announcer`).
    ///   - absorbDTMF: keep the channels' DTMF out of the bridge.
    ///   - mute: keep the channels' audio out of the bridge.
    public func addChannels(
        _ channels: [ChannelID], to bridge: BridgeID, role: String? = nil, absorbDTMF: Bool? = nil, mute: Bool? = nil,
        inhibitConnectedLineUpdates: Bool? = nil
    ) async throws {
        var parameters: JSONObject = ["channel": .array(channels.map { .string($0.rawValue) })]
        parameters.set("role", role.map(JSONValue.string))
        parameters.set("absorbDTMF", absorbDTMF.map(JSONValue.bool))
        parameters.set("mute", mute.map(JSONValue.bool))
        parameters.set("inhibitConnectedLineUpdates", inhibitConnectedLineUpdates.map(JSONValue.bool))
        try await send("bridges.addChannel", .post, ["bridges", bridge.rawValue, "addChannel"], parameters)
    }

    /// Removes channels from a bridge; they stay in Stasis.
    public func removeChannels(_ channels: [ChannelID], from bridge: BridgeID) async throws {
        let parameters: JSONObject = ["channel": .array(channels.map { .string($0.rawValue) })]
        try await send("bridges.removeChannel", .post, ["bridges", bridge.rawValue, "removeChannel"], parameters)
    }
}
