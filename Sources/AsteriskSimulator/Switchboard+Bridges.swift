import Foundation

/// `/ari/bridges` resources (`res/ari/resource_bridges.c`). ARI bridges live until deleted.
extension Switchboard {
    func listBridges() -> HTTPServerResponse {
        state.withLock { s in .json(200, .array(s.bridgeOrder.compactMap { s.bridges[$0]?.json })) }
    }

    func getBridge(_ id: String) -> HTTPServerResponse {
        state.withLock { s in s.bridges[id].map { .json(200, $0.json) } ?? .error(404, "Bridge not found") }
    }

    /// `POST /bridges` and `POST /bridges/{id}`: creates, or returns an existing bridge with that id
    /// when the id came in the path (create-or-update).
    func createBridge(_ p: RequestParameters, bridgeID: String?) -> HTTPServerResponse {
        let types = p.list("type") ?? ["mixing"]
        let known: Set<String> = ["mixing", "holding", "dtmf_events", "proxy_media", "video_sfu", "video_single", "sdp_label"]
        guard types.allSatisfy({ known.contains($0) }) else { return .error(400, "Invalid bridge type") }
        return state.withLock { s in
            if let bridgeID, let existing = s.bridges[bridgeID] {
                if p.string("bridgeId") != nil { return .error(409, "Bridge with id '\(bridgeID)' already exists") }
                return .json(200, existing.json)
            }
            let id = bridgeID ?? UUID().uuidString.lowercased()
            let bridge = BridgeRecord(id: id, name: p.string("name") ?? "", bridgeType: types.contains("holding") ? "holding" : "mixing",
                                      creationTime: ARITimestamp.now())
            s.bridges[id] = bridge
            s.bridgeOrder.append(id)
            return .json(200, bridge.json)
        }
    }

    func deleteBridge(_ id: String) -> HTTPServerResponse {
        state.withLock { s in
            guard let bridge = s.bridges[id] else { return .error(404, "Bridge not found") }
            for member in bridge.channels { leaveBridge(&s, member) }
            if let emptied = s.bridges[id] { emit(&s, "BridgeDestroyed", [("bridge", emptied.json)], bridge: id) }
            s.bridges[id] = nil
            s.bridgeOrder.removeAll { $0 == id }
            for name in s.apps.keys { s.apps[name]?.subscribedBridges.remove(id) }
            return .noContent
        }
    }

    func addChannels(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        let ids = p.list("channel") ?? []
        return state.withLock { s in
            guard s.bridges[id] != nil else { return .error(404, "Bridge not found") }
            guard !ids.isEmpty else { return .error(400, "Missing parameter channel") }
            for member in ids {
                guard let channel = s.channels[member] else { return .error(400, "Channel not found") }
                guard channel.stasisApp != nil else { return .error(422, "Channel not in Stasis application") }
            }
            for member in ids { enterBridge(&s, member, bridgeID: id) }
            return .noContent
        }
    }

    func removeChannels(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        let ids = p.list("channel") ?? []
        return state.withLock { s in
            guard s.bridges[id] != nil else { return .error(404, "Bridge not found") }
            guard !ids.isEmpty else { return .error(400, "Missing parameter channel") }
            for member in ids {
                guard let channel = s.channels[member] else { return .error(400, "Channel not found") }
                guard channel.bridgeID == id else { return .error(422, "Channel not in this bridge") }
            }
            for member in ids { leaveBridge(&s, member) }
            return .noContent
        }
    }
}
