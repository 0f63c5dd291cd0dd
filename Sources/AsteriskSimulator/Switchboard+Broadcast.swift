/// `StasisBroadcast()` and `POST /events/claim`, as recorded on Asterisk 22.10.1
/// (captures/stasis-broadcast-22.10.1.jsonl): every registered app whose name matches the
/// filter gets `CallBroadcast`; the first claim gets 204 and then `StasisStart` with the
/// broadcast's args, later claims 409; unclaimed after the timeout, the dialplan goes on with
/// `STASISSTATUS=TIMEOUT` (here: to its hangup).
extension Switchboard {
    /// Creates the PJSIP channel of an inbound call and runs `StasisBroadcast(timeout,filter,args)`.
    func placeBroadcastCall(_ phone: SyntheticCaller, to: String, filter: String, timeout: Duration, args: [String]) {
        let milliseconds = Int(timeout / .milliseconds(1))
        let id = state.withLock { s -> String in
            let appData = "\(milliseconds),\(filter)" + (args.isEmpty ? "" : "," + args.joined(separator: ":"))
            let channel = addPhoneChannel(&s, phone, to: to, appName: "StasisBroadcast", appData: appData)
            let id = channel.id
            s.channels[id]?.broadcast = .init(args: args)
            let candidates = s.apps.keys.sorted().filter { isRegistered(s, $0) && Self.matches($0, filter: filter) }
            emit(&s, "CallBroadcast", [
                ("channel", channel.json), ("caller", .string(phone.number)), ("called", .string(to)),
            ], to: candidates)
            return id
        }
        schedule(after: timeout) { [self] in broadcastTimedOut(id) }
    }

    /// `POST /events/claim?channelId=&application=`.
    func claim(_ p: RequestParameters) -> HTTPServerResponse {
        guard let id = p.string("channelId"), !id.isEmpty else { return .error(400, "channelId is required") }
        guard let app = p.string("application"), !app.isEmpty else { return .error(400, "application is required") }
        return state.withLock { s in
            guard let broadcast = s.channels[id]?.broadcast else {
                return .error(404, "Channel not found or not in broadcast state")
            }
            guard broadcast.claimedBy == nil else {
                counters.update { $0.claimConflicts += 1 }
                return .error(409, "Channel has already been claimed by another application")
            }
            s.channels[id]?.broadcast?.claimedBy = app
            var response = HTTPServerResponse.noContent
            response.afterWrite = { [self] in
                state.withLock { s in
                    guard s.channels[id] != nil else { return }
                    guard isRegistered(s, app) else {
                        // Claimed, then the app vanished: Stasis fails as it would for a dead app.
                        counters.update { $0.failedStasis += 1 }
                        s.channels[id]?.variables["STASISSTATUS"] = "FAILED"
                        if case .phone(let phone) = s.channels[id]?.kind { phone.stasisFailed() }
                        hangUp(&s, id, requestCause: nil, destroyCause: 16)
                        return
                    }
                    enterStasis(&s, id, app: app, args: broadcast.args)
                }
            }
            return response
        }
    }

    private func broadcastTimedOut(_ id: String) {
        state.withLock { s in
            guard let broadcast = s.channels[id]?.broadcast, broadcast.claimedBy == nil else {
                // Claimed: the channel stays claimed (a later claim is still a 409) until it is gone.
                return
            }
            counters.update { $0.broadcastTimeouts += 1 }
            s.channels[id]?.variables["STASISSTATUS"] = "TIMEOUT"
            if case .phone(let phone) = s.channels[id]?.kind { phone.stasisFailed() }
            hangUp(&s, id, requestCause: nil, destroyCause: 16)
        }
    }

    /// Whether `app` matches the broadcast's filter, an extended regular expression searched
    /// anywhere in the name (`regexec`); an invalid filter matches nothing.
    static func matches(_ app: String, filter: String) -> Bool {
        guard let regex = try? Regex(filter) else { return false }
        return (try? regex.firstMatch(in: app)) != nil
    }
}
