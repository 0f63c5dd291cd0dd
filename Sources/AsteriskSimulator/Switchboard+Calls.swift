import Foundation

/// Calls from and to synthetic phones: inbound calls into `Stasis()`, originate, and what the
/// phone does on its own (DTMF, hangup).
extension Switchboard {
    /// Creates the PJSIP channel of an inbound call and runs `Stasis(app[,args])` on it.
    ///
    /// When the app has no socket, Stasis fails (STASISSTATUS=FAILED), the dialplan falls
    /// through to its hangup and the phone learns the call failed.
    func placeCall(_ phone: SyntheticCaller, to: String, app: String, args: [String]) {
        state.withLock { s in
            let id = addPhoneChannel(&s, phone, to: to, appName: "Stasis", appData: ([app] + args).joined(separator: ",")).id
            guard isRegistered(s, app) else {
                counters.update { $0.failedStasis += 1 }
                phone.stasisFailed()
                s.channels[id]?.variables["STASISSTATUS"] = "FAILED"
                hangUp(&s, id, requestCause: nil, destroyCause: 16)
                return
            }
            enterStasis(&s, id, app: app, args: args)
        }
    }

    /// Creates the ringing PJSIP channel of `phone`'s inbound call, whose dialplan runs `appName(appData)`.
    func addPhoneChannel(_ s: inout State, _ phone: SyntheticCaller, to: String, appName: String, appData: String) -> ChannelRecord {
        let id = newChannelID(&s)
        s.nextPhoneName += 1
        let channel = ChannelRecord(
            id: id, name: "PJSIP/\(phone.number)-\(String(format: "%08x", s.nextPhoneName - 1))", state: "Ring",
            protocolID: UUID().uuidString.lowercased(), callerNumber: phone.number,
            dialplan: .init(context: configuration.dialplanContext, exten: to, priority: 2, appName: appName, appData: appData),
            creationTime: ARITimestamp.now(), kind: .phone(phone))
        s.channels[id] = channel
        s.channelOrder.append(id)
        phone.attach(channelID: id)
        return channel
    }

    /// `POST /channels`: dials a synthetic phone at `PJSIP/<number>`, which answers after the
    /// configured delay and enters `app` with `appArgs`.
    func originate(_ p: RequestParameters, channelID: String?) -> HTTPServerResponse {
        guard let endpoint = p.string("endpoint"), !endpoint.isEmpty else { return .error(400, "Endpoint must be specified") }
        guard let app = p.string("app"), !app.isEmpty else {
            if p.string("extension") != nil { return .error(501, "The simulator has no dialplan to originate into") }
            return .error(400, "Application or extension must be specified")
        }
        guard endpoint.uppercased().hasPrefix("PJSIP/"), endpoint.count > 6 else { return .error(400, "Invalid endpoint specified") }
        guard let variables = p.variables else { return .error(400, "Variable values must be strings") }
        let number = String(endpoint.dropFirst(6))
        let args = p.string("appArgs").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        let phone = SyntheticCaller(number: number, dialled: "", sampleRate: 8000, script: [], impairments: Impairments(), switchboard: self)
        let requestedID = channelID ?? p.string("channelId")
        let result: HTTPServerResponse = state.withLock { s in
            if let requestedID, s.channels[requestedID] != nil { return .error(409, "Channel with given unique ID already exists") }
            let id = requestedID ?? newChannelID(&s)
            s.nextPhoneName += 1
            var channel = ChannelRecord(
                id: id, name: "PJSIP/\(number)-\(String(format: "%08x", s.nextPhoneName - 1))", state: "Down",
                protocolID: UUID().uuidString.lowercased(), callerNumber: number,
                dialplan: .init(context: "default", exten: "s", priority: 1, appName: "AppDial2", appData: "(Outgoing Line)"),
                creationTime: ARITimestamp.now(), kind: .phone(phone))
            channel.ownerApp = app
            for (name, value) in variables { channel.variables[name] = value }
            s.channels[id] = channel
            s.channelOrder.append(id)
            phone.attach(channelID: id)
            return .json(200, channel.json)
        }
        guard result.status == 200, let id = result.body?["id"]?.stringValue else { return result }
        var response = result
        response.afterWrite = { [self] in
            state.withLock { s in
                guard let channel = s.channels[id] else { return }
                emit(&s, "Dial", [("dialstatus", ""), ("forward", ""), ("dialstring", .string(number)), ("peer", channel.json)], channels: [id])
                s.channels[id]?.state = "Ringing"
                emitChannel(&s, "ChannelStateChange", id)
            }
            schedule(after: configuration.originateAnswerDelay) { [self] in
                state.withLock { s in
                    guard let channel = s.channels[id] else { return }
                    s.channels[id]?.state = "Up"
                    topology.add(1, ordering: .releasing)
                    emitChannel(&s, "ChannelStateChange", id)
                    emit(&s, "Dial", [("dialstatus", "ANSWER"), ("forward", ""), ("dialstring", .string(number)), ("peer", s.channels[id]?.json ?? channel.json)], channels: [id])
                    s.channels[id]?.dialplan.appName = "Stasis"
                    s.channels[id]?.dialplan.appData = ([app] + args).joined(separator: ",")
                    phone.answered()
                    guard isRegistered(s, app) else {
                        counters.update { $0.failedStasis += 1 }
                        hangUp(&s, id, requestCause: nil, destroyCause: 16)
                        return
                    }
                    enterStasis(&s, id, app: app, args: args)
                }
            }
        }
        return response
    }

    /// The phone hung up (a BYE): PJSIP's RTPAUDIOQOS* variables (on the bridge peer too, with
    /// a `BRIDGED` suffix), then ChannelHangupRequest without cause and the usual teardown.
    func phoneHungUp(_ id: String, statistics: ImpairmentStatistics) {
        state.withLock { s in
            if s.channels[id]?.state == "Up" {
                let peer = s.channels[id]?.bridgeID.flatMap { s.bridges[$0] }?.channels.first { $0 != id }
                for (name, value) in RTPQualityReport.variables(statistics) {
                    setVariable(&s, id, name, value)
                    if let peer { setVariable(&s, peer, name + "BRIDGED", value) }
                }
            }
            hangUp(&s, id, requestCause: nil, destroyCause: 16)
        }
    }

    /// The phone sent a DTMF digit (RFC 4733 end event): ChannelDtmfReceived.
    func phoneSentDTMF(_ id: String, digit: Character, durationMilliseconds: Int) {
        state.withLock { s in
            emitChannel(&s, "ChannelDtmfReceived", id, [
                ("digit", .string(String(digit))), ("duration_ms", .number(Double(durationMilliseconds))),
            ])
        }
    }

    /// The phone behind a channel, if the channel is a PJSIP leg.
    func phone(for id: String) -> SyntheticCaller? {
        state.withLock { s in
            if case .phone(let phone) = s.channels[id]?.kind { phone } else { nil }
        }
    }
}
