/// `/ari/applications` and `/ari/asterisk` resources.
extension Switchboard {
    func applicationJSON(_ s: State, _ name: String) -> JSON {
        let app = s.apps[name] ?? AppRecord(name: name)
        let channels = s.channelOrder.filter { id in
            s.channels[id]?.stasisApp == name || s.channels[id]?.ownerApp == name || app.subscribedChannels.contains(id)
        }
        let bridges = s.bridgeOrder.filter { s.bridges[$0]?.apps.contains(name) == true || app.subscribedBridges.contains($0) }
        return .object([
            ("name", .string(name)), ("channel_ids", .array(channels.map(JSON.string))),
            ("bridge_ids", .array(bridges.map(JSON.string))), ("endpoint_ids", []), ("device_names", []),
            ("events_allowed", []), ("events_disallowed", []),
        ])
    }

    /// Apps that are registered or still hold channels (a deactivated app without any is gone).
    private func liveApps(_ s: State) -> [String] {
        s.apps.keys.sorted().filter { name in
            isRegistered(s, name) || s.channels.values.contains { $0.stasisApp == name || $0.ownerApp == name }
        }
    }

    func listApplications() -> HTTPServerResponse {
        state.withLock { s in .json(200, .array(liveApps(s).map { applicationJSON(s, $0) })) }
    }

    func getApplication(_ name: String) -> HTTPServerResponse {
        state.withLock { s in liveApps(s).contains(name) ? .json(200, applicationJSON(s, name)) : .error(404, "Application not found") }
    }

    /// `POST|DELETE /applications/{app}/subscription?eventSource=channel:ID,bridge:ID`.
    func subscribe(_ name: String, _ p: RequestParameters, subscribe: Bool) -> HTTPServerResponse {
        guard let sources = p.list("eventSource"), !sources.isEmpty else { return .error(400, "Missing parameter eventSource") }
        return state.withLock { s in
            guard liveApps(s).contains(name), var app = s.apps[name] else { return .error(404, "Application not found") }
            for source in sources {
                let parts = source.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, ["channel", "bridge"].contains(parts[0]) else {
                    return .error(400, "Invalid event source URI scheme '\(source)'")
                }
                let exists = parts[0] == "channel" ? s.channels[parts[1]] != nil : s.bridges[parts[1]] != nil
                guard exists else { return .error(422, "Unable to find event source '\(source)'") }
                if subscribe {
                    if parts[0] == "channel" { app.subscribedChannels.insert(parts[1]) } else { app.subscribedBridges.insert(parts[1]) }
                } else {
                    let removed = parts[0] == "channel" ? app.subscribedChannels.remove(parts[1]) : app.subscribedBridges.remove(parts[1])
                    guard removed != nil else { return .error(409, "App not subscribed to event source '\(source)'") }
                }
            }
            s.apps[name] = app
            return .json(200, applicationJSON(s, name))
        }
    }

    /// `GET /asterisk/variable`: an unset global reads as "" with 200, as in Asterisk.
    func getGlobalVariable(_ p: RequestParameters) -> HTTPServerResponse {
        guard let name = p.string("variable"), !name.isEmpty else { return .error(400, "Variable name is required") }
        return state.withLock { s in .json(200, .object([("value", .string(s.globals[name] ?? ""))])) }
    }

    /// `POST /asterisk/variable`.
    func setGlobalVariable(_ p: RequestParameters) -> HTTPServerResponse {
        guard let name = p.string("variable"), !name.isEmpty else { return .error(400, "Variable name is required") }
        return state.withLock { s in
            s.globals[name] = p.string("value") ?? ""
            return .noContent
        }
    }

    func globalVariable(_ name: String) -> String { state.withLock { $0.globals[name] ?? "" } }

    func asteriskPing() -> HTTPServerResponse {
        .json(200, .object([
            ("asterisk_id", .string(configuration.asteriskID)), ("ping", "pong"), ("timestamp", .string(ARITimestamp.now())),
        ]))
    }

    func asteriskInfo() -> HTTPServerResponse {
        let started = startupTime
        return .json(200, .object([
            ("build", .object([("os", "Linux"), ("kernel", ""), ("machine", "x86_64"), ("options", ""), ("date", ""), ("user", "")])),
            ("system", .object([("version", "22.10.1"), ("entity_id", .string(configuration.asteriskID))])),
            ("config", .object([
                ("name", ""), ("default_language", "en"),
                ("setid", .object([("user", ""), ("group", "")])),
            ])),
            ("status", .object([("startup_time", .string(started)), ("last_reload_time", .string(started))])),
        ]))
    }
}
