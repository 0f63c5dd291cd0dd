import Foundation

/// `/ari/channels` resources (`res/ari/resource_channels.c`), with the captured status codes and messages.
extension Switchboard {
    /// Runs `body` on an existing channel; 404 "Channel not found" otherwise, 409 when
    /// `inStasis` is required and the channel is in no app.
    func withChannel(_ id: String, inStasis: Bool, _ body: (inout State, ChannelRecord) -> HTTPServerResponse) -> HTTPServerResponse {
        state.withLock { s in
            guard let channel = s.channels[id] else { return .error(404, "Channel not found") }
            if inStasis, channel.stasisApp == nil { return .error(409, "Channel not in Stasis application") }
            return body(&s, channel)
        }
    }

    func listChannels() -> HTTPServerResponse {
        let listing = state.withLock { s in HTTPServerResponse.json(200, .array(s.channelOrder.compactMap { s.channels[$0]?.json })) }
        // Each connection has its own thread: only this request waits.
        if configuration.channelListDelay > .zero { Thread.sleep(forTimeInterval: Double(configuration.channelListDelay / .milliseconds(1)) / 1000) }
        return listing
    }

    func getChannel(_ id: String) -> HTTPServerResponse {
        withChannel(id, inStasis: false) { _, channel in .json(200, channel.json) }
    }

    func deleteChannel(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        let reason = p.string("reason"), code = p.string("reason_code")
        if reason != nil, code != nil { return .error(400, "The reason and reason_code can't both be specified") }
        var cause: Int?
        if let reason {
            guard let known = HangupCause.byReason[reason] else { return .error(400, "Invalid reason \(reason)") }
            cause = known
        } else if let code {
            cause = Int(code) ?? 0
        }
        return withChannel(id, inStasis: false) { s, _ in
            // A request without a reason shows cause 32 on ChannelHangupRequest and 16 on ChannelDestroyed (captures).
            hangUp(&s, id, requestCause: cause ?? 32, destroyCause: cause ?? 16)
            return .noContent
        }
    }

    func answer(_ id: String) -> HTTPServerResponse {
        withChannel(id, inStasis: true) { s, channel in
            guard channel.state != "Up" else { return .noContent }
            s.channels[id]?.state = "Up"
            topology.add(1, ordering: .releasing)
            emitChannel(&s, "ChannelStateChange", id)
            if case .phone(let phone) = channel.kind { phone.answered() }
            return .noContent
        }
    }

    /// Leaves Stasis for the dialplan; the simulated dialplan has nothing after `Stasis()` but a
    /// hangup, so the channel then ends with cause 16.
    func continueInDialplan(_ id: String) -> HTTPServerResponse {
        withChannel(id, inStasis: true) { s, channel in
            leaveBridge(&s, id)
            leaveStasis(&s, id)
            if case .phone(let phone) = channel.kind {
                phone.continuedInDialplan()
                hangUp(&s, id, requestCause: 16, destroyCause: 16)
            }
            return .noContent
        }
    }

    func redirect(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        guard let endpoint = p.string("endpoint"), !endpoint.isEmpty else { return .error(400, "Endpoint parameter not provided") }
        return withChannel(id, inStasis: true) { s, channel in
            guard case .phone(let phone) = channel.kind else { return .error(422, "Endpoint is not the same type as the channel") }
            guard endpoint.uppercased().hasPrefix("PJSIP/") else { return .error(422, "Endpoint is not the same type as the channel") }
            // The phone accepts the transfer and hangs its leg up.
            phone.transferred(to: endpoint)
            hangUp(&s, id, requestCause: nil, destroyCause: 16)
            return .noContent
        }
    }

    func sendDTMF(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        guard let digits = p.string("dtmf"), !digits.isEmpty else { return .error(400, "DTMF is required") }
        return withChannel(id, inStasis: true) { _, channel in
            guard channel.state == "Up" else { return .error(412, "Channel in invalid state") }
            if case .phone(let phone) = channel.kind { phone.heardDTMF(digits) }
            return .noContent
        }
    }

    func indicate(_ id: String, _ what: String, on: Bool, _ p: RequestParameters) -> HTTPServerResponse {
        withChannel(id, inStasis: true) { s, channel in
            if what == "mute" {
                let direction = p.string("direction") ?? "both"
                guard ["both", "in", "out"].contains(direction) else { return .error(400, "Invalid direction specified") }
                if direction != "out" { s.channels[id]?.mutedIn = on }
                topology.add(1, ordering: .releasing)
            }
            if case .phone(let phone) = channel.kind { phone.indicated(on ? what : "un" + what) }
            return .noContent
        }
    }

    /// Starts a playback: 201 with the Playback, then PlaybackStarted and, after the configured
    /// duration, PlaybackFinished (`failed` for a media URI scheme Asterisk does not know).
    func play(_ id: String, _ p: RequestParameters, playbackID named: String? = nil) -> HTTPServerResponse {
        guard let media = p.list("media"), !media.isEmpty else { return .error(400, "media is required") }
        return withChannel(id, inStasis: true) { s, channel in
            guard channel.state == "Up" else { return .error(412, "Channel in invalid state") }
            s.nextPlayback += 1
            let playbackID = named ?? p.string("playbackId") ?? UUID().uuidString.lowercased()
            let known = ["sound:", "recording:", "number:", "digits:", "characters:", "tone:"]
            let valid = media.allSatisfy { uri in known.contains { uri.hasPrefix($0) } }
            @Sendable func playback(_ state: String) -> JSON {
                .object([
                    ("id", .string(playbackID)), ("media_uri", .string(media[0])),
                    ("target_uri", .string("channel:\(id)")), ("language", .string(p.string("lang") ?? "en")),
                    ("state", .string(state)),
                ])
            }
            var response = HTTPServerResponse.json(201, playback("queued"))
            response.headers.append(("Location", "/playbacks/\(playbackID)"))
            response.afterWrite = { [self] in
                state.withLock { s in
                    emit(&s, "PlaybackStarted", [("playback", playback("playing"))], channels: [id])
                }
                schedule(after: valid ? configuration.playbackDuration : .zero) { [self] in
                    state.withLock { s in
                        emit(&s, "PlaybackFinished", [("playback", playback(valid ? "done" : "failed"))], channels: [id])
                    }
                }
            }
            return response
        }
    }

    func getVariable(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        guard let name = p.string("variable"), !name.isEmpty else { return .error(400, "Variable name is required") }
        return withChannel(id, inStasis: false) { _, channel in
            guard let value = channel.variables[name] else { return .error(404, "Provided variable was not found") }
            return .json(200, .object([("value", .string(value))]))
        }
    }

    func setVariable(_ id: String, _ p: RequestParameters) -> HTTPServerResponse {
        guard let name = p.string("variable"), !name.isEmpty else { return .error(400, "Variable name is required") }
        return withChannel(id, inStasis: true) { s, _ in
            setVariable(&s, id, name, p.string("value") ?? "")
            return .noContent
        }
    }
}
