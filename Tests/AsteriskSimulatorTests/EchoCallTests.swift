import AsteriskSimulator
import Foundation
import Testing

@Suite("Echo call through the simulator", .timeLimit(.minutes(1)))
struct EchoCallTests {
    /// The events of capture call 100 (ulaw echo, caller hangs up, app deletes the
    /// externalMedia channel and the bridge), ChannelVarset with its variable.
    static let capturedSequence = [
        "StasisStart", "ChannelStateChange", "Dial", "ChannelStateChange", "Dial", "ChannelVarset:STASISSTATUS", "StasisStart",
        "ChannelEnteredBridge", "ChannelEnteredBridge", "ChannelVarset:BRIDGEPEER", "ChannelVarset:BRIDGEPEER",
        "ChannelVarset:BRIDGEPVTCALLID", "ChannelConnectedLine",
        "ChannelVarset:RTPAUDIOQOS", "ChannelVarset:RTPAUDIOQOSBRIDGED", "ChannelVarset:RTPAUDIOQOSJITTER",
        "ChannelVarset:RTPAUDIOQOSJITTERBRIDGED", "ChannelVarset:RTPAUDIOQOSLOSS", "ChannelVarset:RTPAUDIOQOSLOSSBRIDGED",
        "ChannelVarset:RTPAUDIOQOSRTT", "ChannelVarset:RTPAUDIOQOSRTTBRIDGED", "ChannelVarset:RTPAUDIOQOSMES",
        "ChannelVarset:RTPAUDIOQOSMESBRIDGED",
        "ChannelHangupRequest", "ChannelVarset:BRIDGEPEER", "ChannelLeftBridge", "StasisEnd",
        "ChannelHangupRequest", "ChannelVarset:BRIDGEPEER", "ChannelVarset:BRIDGEPVTCALLID", "ChannelLeftBridge", "StasisEnd",
        "ChannelVarset:STASISSTATUS", "ChannelDestroyed", "BridgeDestroyed",
    ]

    /// Event types, with the variable name for ChannelVarset.
    static func sequence(_ events: EventRecorder) -> [String] {
        events.events.map { event in
            let type = event["type"] as? String ?? "?"
            return type == "ChannelVarset" ? "\(type):\(event["variable"] as? String ?? "?")" : type
        }
    }

    @Test func ulawEchoCallMatchesTheCaptures() async throws {
        try await withSimulator { asterisk, ari, events in
            let peer = UDPPeer()
            let speech = testSignal(seconds: 0.8, sampleRate: 8000)
            let caller = asterisk.placeCall(from: "1001", to: "100", stasisArgs: ["bot=echo"])
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let callerID = try #require(channelID(start))
            let channel = try #require(start["channel"] as? [String: Any])
            #expect(channel["state"] as? String == "Ring")
            #expect(start["args"] as? [String] == ["bot=echo"])
            #expect((channel["caller"] as? [String: Any])?["number"] as? String == "1001")
            #expect(start["application"] as? String == "ura")
            let timestamp = try #require(start["timestamp"] as? String)
            #expect(timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$"#, options: .regularExpression) != nil)

            #expect(try await ari.call(.post, "/channels/\(callerID)/answer").status == 204)
            let bridge = try await ari.call(.post, "/bridges", ["type": "mixing", "name": "vb-100"])
            #expect(bridge.status == 200)
            let bridgeID = try #require(bridge.object["id"] as? String)
            let media = try await ari.call(.post, "/channels/externalMedia", [
                "app": "ura", "external_host": "127.0.0.1:\(peer.port)", "format": "ulaw",
            ])
            #expect(media.status == 200)
            #expect(media.object["state"] as? String == "Down")
            let vars = try #require(media.object["channelvars"] as? [String: String])
            #expect(vars["UNICASTRTP_LOCAL_ADDRESS"] == "127.0.0.1")
            let rtpPort = try #require(vars["UNICASTRTP_LOCAL_PORT"].flatMap(Int.init))
            let mediaID = try #require(media.object["id"] as? String)
            let variable = try await ari.call(.get, "/channels/\(mediaID)/variable", ["variable": "UNICASTRTP_LOCAL_PORT"])
            #expect(variable.object["value"] as? String == String(rtpPort))

            let mediaStart = try #require(await events.first { $0["type"] as? String == "StasisStart" && channelID($0) == mediaID })
            #expect(mediaStart["args"] as? [String] == [])
            let mediaChannel = try #require(mediaStart["channel"] as? [String: Any])
            #expect(mediaChannel["state"] as? String == "Up")
            #expect((mediaChannel["dialplan"] as? [String: Any])?["context"] as? String == "default")
            #expect(try await ari.call(.post, "/bridges/\(bridgeID)/addChannel", ["channel": "\(callerID),\(mediaID)"]).status == 204)
            // The caller starts talking once it is connected to the bot.
            caller.enqueue([.say(speech), .pause(.milliseconds(400))])

            // Echo every packet back from the socket named as external_host, on a thread of its own.
            let headers = await withCheckedContinuation { (continuation: CheckedContinuation<[RTPHeader], Never>) in
                let thread = Thread {
                    var seen: [RTPHeader] = []
                    while let packet = peer.receive(milliseconds: 300) {
                        if let header = RTPHeader(packet) { seen.append(header) }
                        peer.send(packet, toPort: rtpPort)
                        if seen.count >= 60 { break }
                    }
                    continuation.resume(returning: seen)
                }
                thread.start()
            }
            #expect(headers.count == 60)
            #expect(headers.allSatisfy { $0.version == 2 && $0.payloadType == 0 && $0.payloadCount == 160 && !$0.marker })
            #expect(Set(headers.map(\.ssrc)).count == 1)
            #expect(zip(headers, headers.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 && $1.timestamp == $0.timestamp &+ 160 })

            #expect(await caller.waitUntilScriptFinished())
            caller.hangUp()
            _ = try #require(await events.first { $0["type"] as? String == "StasisEnd" && channelID($0) == callerID })
            let correlation = bestCorrelation(Array(speech[800..<2400]), in: caller.recording.samples)
            #expect(correlation > 0.9)

            let stillThere = try await ari.call(.get, "/channels/\(mediaID)")
            #expect(stillThere.object["state"] as? String == "Up")
            #expect(try await ari.call(.delete, "/channels/\(mediaID)").status == 204)
            #expect(try await ari.call(.get, "/bridges/\(bridgeID)").object["channels"] as? [String] == [])
            #expect(try await ari.call(.delete, "/bridges/\(bridgeID)").status == 204)
            _ = await events.first { $0["type"] as? String == "BridgeDestroyed" }
            let hangup = events.events.first { $0["type"] as? String == "ChannelHangupRequest" && channelID($0) == mediaID }
            #expect(hangup?["cause"] as? Int == 32)
            #expect(!events.events.contains { $0["type"] as? String == "ChannelDestroyed" && channelID($0) == callerID })
            #expect(Self.sequence(events) == Self.capturedSequence)
            #expect(events.events.allSatisfy { $0["asterisk_id"] as? String == asterisk.configuration.asteriskID && $0["application"] as? String == "ura" })
            #expect(asterisk.channels.isEmpty)
            #expect(asterisk.bridges.isEmpty)
            #expect(await eventually { asterisk.rtpPortsInUse == 0 })
        }
    }

    @Test func subscribedAppAlsoSeesTheCallerDestroyed() async throws {
        try await withSimulator { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "104", stasisArgs: ["subscribe"])
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let callerID = try #require(channelID(start))
            let subscribed = try await ari.call(.post, "/applications/ura/subscription", ["eventSource": "channel:\(callerID)"])
            #expect(subscribed.object["channel_ids"] as? [String] == [callerID])
            #expect(try await ari.call(.post, "/channels/\(callerID)/answer").status == 204)
            caller.hangUp()
            let destroyed = try #require(await events.first { $0["type"] as? String == "ChannelDestroyed" })
            #expect(destroyed["cause"] as? Int == 16)
            #expect(destroyed["cause_txt"] as? String == "Normal Clearing")
            // Capture call 104, without its bridge.
            #expect(Self.sequence(events) == [
                "StasisStart", "ChannelStateChange", "ChannelVarset:RTPAUDIOQOS", "ChannelVarset:RTPAUDIOQOSJITTER",
                "ChannelVarset:RTPAUDIOQOSLOSS", "ChannelVarset:RTPAUDIOQOSRTT", "ChannelVarset:RTPAUDIOQOSMES",
                "ChannelHangupRequest", "StasisEnd", "ChannelVarset:STASISSTATUS", "ChannelHangupRequest", "ChannelDestroyed",
            ])
        }
    }

    @Test func callerDTMFArrivesAsChannelDtmfReceived() async throws {
        try await withSimulator { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "100", script: [.pause(.milliseconds(40)), .dtmf("12#")])
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            #expect(try await ari.call(.post, "/channels/\(try #require(channelID(start)))/answer").status == 204)
            #expect(await caller.waitUntilScriptFinished())
            #expect(await eventually { events.events.filter { $0["type"] as? String == "ChannelDtmfReceived" }.count == 3 })
            let digits = events.events.filter { $0["type"] as? String == "ChannelDtmfReceived" }.compactMap { $0["digit"] as? String }
            #expect(digits == ["1", "2", "#"])
            caller.hangUp()
        }
    }
}
