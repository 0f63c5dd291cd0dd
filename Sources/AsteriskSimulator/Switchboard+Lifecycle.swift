/// Channel lifecycle steps shared by the REST handlers and the synthetic phones, each emitting
/// the events the captures show in the order they show them.
extension Switchboard {
    /// Puts a channel into `app` and emits StasisStart.
    func enterStasis(_ s: inout State, _ id: String, app: String, args: [String]) {
        guard s.channels[id] != nil else { return }
        s.channels[id]?.stasisApp = app
        emitChannel(&s, "StasisStart", id, [("args", .array(args.map(JSON.string)))])
    }

    /// Adds a channel to a bridge (leaving its current one first) and emits ChannelEnteredBridge;
    /// when the bridge then holds two channels, the BRIDGEPEER / BRIDGEPVTCALLID variables and
    /// the connected-line update follow, as in the captures.
    func enterBridge(_ s: inout State, _ id: String, bridgeID: String) {
        guard let channel = s.channels[id], s.bridges[bridgeID] != nil, channel.bridgeID != bridgeID else { return }
        if channel.bridgeID != nil { leaveBridge(&s, id) }
        s.channels[id]?.bridgeID = bridgeID
        s.bridges[bridgeID]?.channels.append(id)
        topology.add(1, ordering: .releasing)
        if let app = channel.stasisApp ?? channel.ownerApp { s.bridges[bridgeID]?.apps.insert(app) }
        guard let bridge = s.bridges[bridgeID], let snapshot = s.channels[id] else { return }
        emit(&s, "ChannelEnteredBridge", [("bridge", bridge.json), ("channel", snapshot.json)], channels: [id], bridge: bridgeID)
        guard bridge.channels.count == 2 else { return }
        let first = bridge.channels[0], second = bridge.channels[1]
        guard let a = s.channels[first], let b = s.channels[second] else { return }
        setVariable(&s, first, "BRIDGEPEER", b.name)
        setVariable(&s, second, "BRIDGEPEER", a.name)
        for (member, peer) in [(a, b), (b, a)] where member.isExternalMedia && !peer.protocolID.isEmpty {
            setVariable(&s, member.id, "BRIDGEPVTCALLID", peer.protocolID)
        }
        for (member, peer) in [(a, b), (b, a)] where !peer.callerNumber.isEmpty && member.connectedNumber != peer.callerNumber {
            s.channels[member.id]?.connectedNumber = peer.callerNumber
            emitChannel(&s, "ChannelConnectedLine", member.id)
        }
    }

    /// Takes a channel out of its bridge: BRIDGEPEER (and BRIDGEPVTCALLID) cleared, then ChannelLeftBridge.
    func leaveBridge(_ s: inout State, _ id: String) {
        guard let channel = s.channels[id], let bridgeID = channel.bridgeID else { return }
        if channel.variables["BRIDGEPEER"] != nil { setVariable(&s, id, "BRIDGEPEER", "") }
        if channel.variables["BRIDGEPVTCALLID"] != nil { setVariable(&s, id, "BRIDGEPVTCALLID", "") }
        s.bridges[bridgeID]?.channels.removeAll { $0 == id }
        s.channels[id]?.bridgeID = nil
        topology.add(1, ordering: .releasing)
        guard let bridge = s.bridges[bridgeID], let snapshot = s.channels[id] else { return }
        emit(&s, "ChannelLeftBridge", [("bridge", bridge.json), ("channel", snapshot.json)], channels: [id], bridge: bridgeID)
    }

    /// Ends Stasis for a channel: StasisEnd, then STASISSTATUS=SUCCESS (seen only by the owner
    /// or subscribers, because the app lets go of the channel at StasisEnd).
    func leaveStasis(_ s: inout State, _ id: String) {
        guard s.channels[id]?.stasisApp != nil else { return }
        emitChannel(&s, "StasisEnd", id)
        s.channels[id]?.stasisApp = nil
        setVariable(&s, id, "STASISSTATUS", "SUCCESS")
    }

    /// Hangs a channel up and destroys it.
    ///
    /// - Parameters:
    ///   - requestCause: the ChannelHangupRequest cause; nil for a far-end hangup (a BYE), which
    ///     the captures show without `cause`.
    ///   - destroyCause: the ChannelDestroyed cause.
    func hangUp(_ s: inout State, _ id: String, requestCause: Int?, destroyCause: Int) {
        guard let channel = s.channels[id] else { return }
        emitChannel(&s, "ChannelHangupRequest", id, requestCause.map { [("cause", .number(Double($0))), ("soft", true)] } ?? [])
        leaveBridge(&s, id)
        let wasInStasis = channel.stasisApp != nil
        leaveStasis(&s, id)
        if case .phone = channel.kind, wasInStasis, requestCause == nil {
            // The dialplan's own hangup after Stasis() returns.
            emitChannel(&s, "ChannelHangupRequest", id, [("cause", .number(Double(destroyCause))), ("soft", true)])
        }
        switch channel.kind {
        case .phone: s.channels[id]?.dialplan.appName = ""; s.channels[id]?.dialplan.appData = ""
        case .unicastRTP: s.channels[id]?.dialplan.appName = "AppDial2"; s.channels[id]?.dialplan.appData = "(Outgoing Line)"
        }
        emitChannel(&s, "ChannelDestroyed", id, [
            ("cause", .number(Double(destroyCause))), ("cause_txt", .string(HangupCause.text(destroyCause))),
        ])
        s.channels[id] = nil
        s.channelOrder.removeAll { $0 == id }
        for name in s.apps.keys { s.apps[name]?.subscribedChannels.remove(id) }
        switch channel.kind {
        case .phone(let phone): phone.remoteEnded()
        case .unicastRTP(let endpoint):
            endpoint.close()
            // The media thread holds endpoints in its route snapshot; a new topology makes it
            // drop this one, whose socket and port go with the last reference.
            topology.add(1, ordering: .releasing)
        }
    }
}
