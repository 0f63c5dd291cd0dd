import Foundation

/// Turns HTTP requests into switchboard operations: authentication, the `/ari` path table, the
/// events WebSocket upgrade and the generic 404/405 answers.
struct RESTRouter: Sendable {
    let switchboard: Switchboard

    func handle(_ request: HTTPServerRequest) -> HTTPDisposition {
        guard request.path.hasPrefix("/ari/") || request.path == "/ari" else {
            return .respond(.error(404, "Resource not found"))
        }
        guard authenticated(request) else {
            var response = HTTPServerResponse.error(401, "Authentication required")
            response.headers.append(("WWW-Authenticate", "Basic realm=\"Asterisk REST Interface\""))
            return .respond(response)
        }
        // Asterisk rejects a trailing slash with 404 rather than redirecting.
        guard !request.path.hasSuffix("/") else { return .respond(.error(404, "Resource not found")) }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
        if segments == ["events"], request.method == "GET", request.headers["upgrade"]?.lowercased() == "websocket" {
            return upgrade(request)
        }
        let parameters: RequestParameters
        do {
            parameters = try RequestParameters(request: request)
        } catch {
            return .respond(.error(400, "Error parsing request body"))
        }
        return .respond(route(request.method, segments, parameters))
    }

    private func authenticated(_ request: HTTPServerRequest) -> Bool {
        let expected = "\(switchboard.configuration.username):\(switchboard.configuration.password)"
        if let header = request.headers["authorization"] {
            guard header.lowercased().hasPrefix("basic "),
                  let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces))
            else { return false }
            return String(decoding: decoded, as: UTF8.self) == expected
        }
        return request.queryValue("api_key") == expected
    }

    private func upgrade(_ request: HTTPServerRequest) -> HTTPDisposition {
        // Only the first app= is read; it holds a comma-separated list.
        let apps = (request.query.first { $0.name == "app" }?.value ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !apps.isEmpty, apps.allSatisfy({ !$0.isEmpty && $0.count <= 73 }) else {
            return .respond(.error(400, "Invalid application provided in param [app]."))
        }
        let switchboard = switchboard
        guard !switchboard.refusingEvents else { return .respond(.error(503, "Service Unavailable")) }
        return .upgrade { frames in
            let socket = EventSocket(
                channel: frames.channel, identifier: switchboard.newSocketIdentifier(), apps: apps,
                writeTimeout: switchboard.configuration.eventWriteTimeout
            ) { socket, slow in switchboard.socketClosed(socket, slow: slow) }
            switchboard.register(socket)
            await socket.run(frames, sendBufferSize: switchboard.configuration.eventSendBufferSize)
        }
    }

    private func route(_ method: String, _ path: [String], _ p: RequestParameters) -> HTTPServerResponse {
        let s = switchboard
        /// The `*` segment of `pattern` when `path` matches it ("" when there is none), else nil.
        func match(_ pattern: String) -> String? {
            let parts = pattern.split(separator: "/").map(String.init)
            guard parts.count == path.count else { return nil }
            var captured = ""
            for (part, segment) in zip(parts, path) {
                if part == "*" { captured = segment } else if part != segment { return nil }
            }
            return captured
        }
        switch method {
        case "GET":
            if match("asterisk/info") != nil { return s.asteriskInfo() }
            if match("asterisk/ping") != nil { return s.asteriskPing() }
            if match("asterisk/variable") != nil { return s.getGlobalVariable(p) }
            if match("applications") != nil { return s.listApplications() }
            if let app = match("applications/*") { return s.getApplication(app) }
            if match("channels") != nil { return s.listChannels() }
            if let id = match("channels/*") { return s.getChannel(id) }
            if let id = match("channels/*/variable") { return s.getVariable(id, p) }
            if match("bridges") != nil { return s.listBridges() }
            if let id = match("bridges/*") { return s.getBridge(id) }
        case "POST":
            if let app = match("applications/*/subscription") { return s.subscribe(app, p, subscribe: true) }
            if match("events/claim") != nil { return s.claim(p) }
            if match("asterisk/variable") != nil { return s.setGlobalVariable(p) }
            if match("channels") != nil { return s.originate(p, channelID: nil) }
            if match("channels/externalMedia") != nil { return s.externalMedia(p) }
            if let id = match("channels/*") { return s.originate(p, channelID: id) }
            if let id = match("channels/*/answer") { return s.answer(id) }
            if let id = match("channels/*/continue") { return s.continueInDialplan(id) }
            if let id = match("channels/*/redirect") { return s.redirect(id, p) }
            if let id = match("channels/*/dtmf") { return s.sendDTMF(id, p) }
            if let id = match("channels/*/play") { return s.play(id, p) }
            // POST /channels/{channelId}/play/{playbackId}: the app names the playback.
            if path.count == 4, path[0] == "channels", path[2] == "play" { return s.play(path[1], p, playbackID: path[3]) }
            if let id = match("channels/*/variable") { return s.setVariable(id, p) }
            for flag in ["ring", "progress", "mute", "hold"] {
                if let id = match("channels/*/\(flag)") { return s.indicate(id, flag, on: true, p) }
            }
            if match("bridges") != nil { return s.createBridge(p, bridgeID: p.string("bridgeId")) }
            if let id = match("bridges/*") { return s.createBridge(p, bridgeID: id) }
            if let id = match("bridges/*/addChannel") { return s.addChannels(id, p) }
            if let id = match("bridges/*/removeChannel") { return s.removeChannels(id, p) }
        case "DELETE":
            if let app = match("applications/*/subscription") { return s.subscribe(app, p, subscribe: false) }
            if let id = match("channels/*") { return s.deleteChannel(id, p) }
            for flag in ["ring", "mute", "hold"] {
                if let id = match("channels/*/\(flag)") { return s.indicate(id, flag, on: false, p) }
            }
            if let id = match("bridges/*") { return s.deleteBridge(id) }
        default:
            break
        }
        return .error(knownPath(path) ? 405 : 404, knownPath(path) ? "Invalid method" : "Resource not found")
    }

    private func knownPath(_ path: [String]) -> Bool {
        guard let first = path.first else { return false }
        return ["asterisk", "applications", "channels", "bridges", "events"].contains(first) && path.count <= 3
    }
}
