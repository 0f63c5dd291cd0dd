import Foundation

/// `POST /channels/externalMedia` for `rtp`+`udp` (chan_rtp UnicastRTP).
extension Switchboard {
    /// Formats chan_rtp can be asked for here; anything else makes the originate fail (500).
    static let externalMediaFormats: Set<String> = ["ulaw", "alaw", "slin", "slin16", "g722"]

    func externalMedia(_ p: RequestParameters) -> HTTPServerResponse {
        guard let app = p.string("app"), !app.isEmpty else { return .error(400, "app cannot be empty") }
        guard let format = p.string("format"), !format.isEmpty else { return .error(400, "format cannot be empty") }
        let encapsulation = p.string("encapsulation") ?? "rtp", transport = p.string("transport") ?? "udp"
        guard encapsulation == "rtp", transport == "udp" else {
            return .error(501, "The simulator implements only encapsulation=rtp with transport=udp")
        }
        guard let host = p.string("external_host"), !host.isEmpty else {
            return .error(400, "external_host is required for all but websocket server connections")
        }
        guard let variables = p.variables else { return .error(400, "Variable values must be strings") }
        let internalError = HTTPServerResponse.error(500, "An internal error prevented this request from being handled")
        guard let mediaFormat = AudioFormat(name: format), let remote = UDPAddress(hostPort: host) else { return internalError }
        let requestedID = p.string("channelId")
        if let requestedID, state.withLock({ $0.channels[requestedID] != nil }) { return internalError }
        guard let endpoint = try? UnicastRTPEndpoint(format: mediaFormat, remote: remote, ports: ports, counters: counters) else {
            return internalError
        }
        let args = p.string("data").map { [$0] } ?? []
        let snapshot: JSON = state.withLock { s in
            let id = requestedID ?? newChannelID(&s)
            var channel = ChannelRecord(
                id: id, name: "UnicastRTP/\(host)-\(Switchboard.fakePointer())", state: "Down", protocolID: "", callerNumber: "",
                dialplan: .init(context: "default", exten: "s", priority: 1, appName: "AppDial2", appData: "(Outgoing Line)"),
                creationTime: ARITimestamp.now(), kind: .unicastRTP(endpoint))
            channel.ownerApp = app
            for (name, value) in variables { channel.variables[name] = value }
            channel.variables["UNICASTRTP_LOCAL_ADDRESS"] = "127.0.0.1"
            channel.variables["UNICASTRTP_LOCAL_PORT"] = String(endpoint.localPort)
            s.channels[id] = channel
            s.channelOrder.append(id)
            return channel.json(withChannelVars: ["UNICASTRTP_LOCAL_PORT", "UNICASTRTP_LOCAL_ADDRESS"])
        }
        let id = snapshot["id"]?.stringValue ?? ""
        let dialString = "\(host)/c(\(format))"
        if configuration.externalMediaEventsBeforeResponse {
            answerExternalMedia(id, app: app, dialString: dialString, args: args)
            return .json(200, snapshot)
        }
        var response = HTTPServerResponse.json(200, snapshot)
        response.afterWrite = { [self] in
            schedule(after: configuration.externalMediaEventDelay) { [self] in
                answerExternalMedia(id, app: app, dialString: dialString, args: args)
            }
        }
        return response
    }

    /// The dial, answer and Stasis entry of an externalMedia channel; without a live socket for
    /// `app`, Stasis fails and the channel dies at once.
    func answerExternalMedia(_ id: String, app: String, dialString: String, args: [String]) {
        state.withLock { s in
            guard let channel = s.channels[id] else { return }
            emit(&s, "Dial", [("dialstatus", ""), ("forward", ""), ("dialstring", .string(dialString)), ("peer", channel.json)], channels: [id])
            s.channels[id]?.state = "Up"
            topology.add(1, ordering: .releasing)
            emitChannel(&s, "ChannelStateChange", id)
            if let answered = s.channels[id] {
                emit(&s, "Dial", [("dialstatus", "ANSWER"), ("forward", ""), ("dialstring", .string(dialString)), ("peer", answered.json)], channels: [id])
            }
            s.channels[id]?.dialplan.appName = "Stasis"
            s.channels[id]?.dialplan.appData = app
            setVariable(&s, id, "STASISSTATUS", "")
            guard isRegistered(s, app) else {
                counters.update { $0.failedStasis += 1 }
                hangUp(&s, id, requestCause: nil, destroyCause: 16)
                return
            }
            enterStasis(&s, id, app: app, args: args)
        }
    }
}
