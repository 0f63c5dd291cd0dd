import ARI
import Foundation
import LoopbackHTTPServer
import Testing

/// Each client call sends the method, path, query and JSON body the ARI spec documents.
@Suite struct ARIClientRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var call: @Sendable (ARIClient) async throws -> Void
        var method: String
        var path: String
        var query: [String: String] = [:]
        var body: JSONValue? = nil
        /// What the server answers; nil means 204 No Content.
        var response: String? = nil
        var testDescription: String { name }
    }

    static let channel = #"{"id":"c1","name":"PJSIP/caller-00000008","state":"Up","protocol_id":"x","caller":{"name":"","number":"1001"},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"from-caller","exten":"100","priority":2,"app_name":"Stasis","app_data":"ura"},"creationtime":"2026-11-26T12:29:37.463+0000","language":"en"}"#
    static let bridge = #"{"id":"b1","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"call","channels":["c1"],"creationtime":"2026-11-26T12:24:28.512+0000","video_mode":"talker"}"#
    static let playback = #"{"id":"pb1","media_uri":"sound:hello","target_uri":"channel:c1","state":"queued","language":"en"}"#
    static let recording = #"{"name":"r1","format":"wav","target_uri":"channel:c1","state":"queued"}"#
    static let application = #"{"name":"ura","channel_ids":["c1"],"bridge_ids":[],"endpoint_ids":[],"device_names":[],"events_allowed":[],"events_disallowed":[]}"#
    static let rtpStat = #"{"txcount":10,"rxcount":9,"txploss":0,"rxploss":1,"local_ssrc":123,"remote_ssrc":456,"txoctetcount":1600,"rxoctetcount":1440,"channel_uniqueid":"c1","rxjitter":0.002}"#

    static let cases: [Case] = [
        Case(name: "answer", call: { try await $0.answer("c1") }, method: "POST", path: "/ari/channels/c1/answer"),
        Case(name: "hangup by reason", call: { try await $0.hangup("c1", reason: .busy) }, method: "DELETE",
             path: "/ari/channels/c1", query: ["reason": "busy"]),
        Case(name: "hangup by Q.850 code", call: { try await $0.hangup("c1", reason: .q850(21)) }, method: "DELETE",
             path: "/ari/channels/c1", query: ["reason_code": "21"]),
        Case(name: "hangup, default reason", call: { try await $0.hangup("c1") }, method: "DELETE", path: "/ari/channels/c1"),
        Case(name: "continue", call: { try await $0.continueInDialplan("c1", context: "from-caller", extension: "200", priority: 3) },
             method: "POST", path: "/ari/channels/c1/continue",
             body: ["context": "from-caller", "extension": "200", "priority": 3]),
        Case(name: "continue to next priority", call: { try await $0.continueInDialplan("c1") }, method: "POST",
             path: "/ari/channels/c1/continue"),
        Case(name: "move", call: { try await $0.move("c1", toApplication: "other", args: ["a", "b"]) }, method: "POST",
             path: "/ari/channels/c1/move", body: ["app": "other", "appArgs": "a,b"]),
        Case(name: "redirect", call: { try await $0.redirect("c1", to: "PJSIP/agent") }, method: "POST",
             path: "/ari/channels/c1/redirect", body: ["endpoint": "PJSIP/agent"]),
        Case(name: "originate into the app",
             call: {
                 _ = try await $0.originate(
                     endpoint: "PJSIP/+5511999990000@trunk", destination: .application("ura", args: ["out", "7"]),
                     callerID: "\"ura\" <100>", timeoutSeconds: 30,
                     options: NewChannelOptions(formats: ["ulaw", "slin16"], variables: ["CALLERID(name)": "ura", "A": "1"]))
             },
             method: "POST", path: "/ari/channels",
             body: ["endpoint": "PJSIP/+5511999990000@trunk", "app": "ura", "appArgs": "out,7", "callerId": "\"ura\" <100>",
                    "timeout": 30, "formats": "ulaw,slin16", "variables": ["A": "1", "CALLERID(name)": "ura"]],
             response: channel),
        Case(name: "originate with an id into the dialplan",
             call: {
                 _ = try await $0.originate(
                     endpoint: "PJSIP/1000", destination: .dialplan(context: "agents", extension: "1000", priority: 1),
                     options: NewChannelOptions(channelID: "ura-c-1", originator: "c1"))
             },
             method: "POST", path: "/ari/channels/ura-c-1",
             body: ["endpoint": "PJSIP/1000", "context": "agents", "extension": "1000", "priority": 1, "originator": "c1"],
             response: channel),
        Case(name: "create", call: { _ = try await $0.createChannel(endpoint: "PJSIP/1000", app: "ura", options: .init(channelID: "ura-c-2")) },
             method: "POST", path: "/ari/channels/create",
             body: ["endpoint": "PJSIP/1000", "app": "ura", "channelId": "ura-c-2"], response: channel),
        Case(name: "dial", call: { try await $0.dial("ura-c-2", caller: "c1", timeoutSeconds: 20) }, method: "POST",
             path: "/ari/channels/ura-c-2/dial", body: ["caller": "c1", "timeout": 20]),
        Case(name: "get channel", call: { _ = try await $0.channel("c1") }, method: "GET", path: "/ari/channels/c1", response: channel),
        Case(name: "list channels", call: { _ = try await $0.listChannels() }, method: "GET", path: "/ari/channels",
             response: "[\(channel),\(channel)]"),
        Case(name: "ring", call: { try await $0.ring("c1") }, method: "POST", path: "/ari/channels/c1/ring"),
        Case(name: "stop ringing", call: { try await $0.stopRinging("c1") }, method: "DELETE", path: "/ari/channels/c1/ring"),
        Case(name: "progress", call: { try await $0.progress("c1") }, method: "POST", path: "/ari/channels/c1/progress"),
        Case(name: "DTMF", call: { try await $0.sendDTMF("c1", "12w#", between: 150, duration: 80) }, method: "POST",
             path: "/ari/channels/c1/dtmf", body: ["dtmf": "12w#", "between": 150, "duration": 80]),
        Case(name: "mute", call: { try await $0.mute("c1", direction: .in) }, method: "POST", path: "/ari/channels/c1/mute",
             body: ["direction": "in"]),
        Case(name: "unmute", call: { try await $0.unmute("c1") }, method: "DELETE", path: "/ari/channels/c1/mute",
             query: ["direction": "both"]),
        Case(name: "hold", call: { try await $0.hold("c1") }, method: "POST", path: "/ari/channels/c1/hold"),
        Case(name: "unhold", call: { try await $0.unhold("c1") }, method: "DELETE", path: "/ari/channels/c1/hold"),
        Case(name: "snoop with id", call: { _ = try await $0.snoop("c1", app: "ura", spy: .in, whisper: SnoopDirection.none, snoopID: "ura-s-1") },
             method: "POST", path: "/ari/channels/c1/snoop/ura-s-1", body: ["app": "ura", "spy": "in", "whisper": "none"],
             response: channel),
        Case(name: "snoop", call: { _ = try await $0.snoop("c1", app: "ura", spy: .both, args: ["tap"]) },
             method: "POST", path: "/ari/channels/c1/snoop", body: ["app": "ura", "spy": "both", "appArgs": "tap"], response: channel),
        Case(name: "RTP statistics", call: { _ = try await $0.rtpStatistics("c1") }, method: "GET",
             path: "/ari/channels/c1/rtp_statistics", response: rtpStat),
        Case(name: "externalMedia, every parameter",
             call: {
                 _ = try await $0.externalMedia(ExternalMediaRequest(
                     app: "ura", format: "ulaw", externalHost: "10.0.0.5:40000", encapsulation: .rtp, transport: .udp,
                     connectionType: .client, direction: .both, data: "call-1", transportData: "f(json)", channelID: "ura-em-1",
                     variables: ["URA_CALL": "1"]))
             },
             method: "POST", path: "/ari/channels/externalMedia",
             body: ["app": "ura", "format": "ulaw", "external_host": "10.0.0.5:40000", "encapsulation": "rtp", "transport": "udp",
                    "connection_type": "client", "direction": "both", "data": "call-1", "transport_data": "f(json)",
                    "channelId": "ura-em-1", "variables": ["URA_CALL": "1"]],
             response: channel),
        Case(name: "create bridge", call: { _ = try await $0.createBridge(features: [.mixing, .proxyMedia], id: "ura-b-1", name: "call") },
             method: "POST", path: "/ari/bridges", body: ["type": "mixing,proxy_media", "bridgeId": "ura-b-1", "name": "call"],
             response: bridge),
        Case(name: "get bridge", call: { _ = try await $0.bridge("b1") }, method: "GET", path: "/ari/bridges/b1", response: bridge),
        Case(name: "list bridges", call: { _ = try await $0.listBridges() }, method: "GET", path: "/ari/bridges", response: "[\(bridge)]"),
        Case(name: "delete bridge", call: { try await $0.deleteBridge("b1") }, method: "DELETE", path: "/ari/bridges/b1"),
        Case(name: "add channels",
             call: { try await $0.addChannels(["c1", "em1"], to: "b1", role: "participant", absorbDTMF: true, mute: false) },
             method: "POST", path: "/ari/bridges/b1/addChannel",
             body: ["channel": ["c1", "em1"], "role": "participant", "absorbDTMF": true, "mute": false]),
        Case(name: "remove channel", call: { try await $0.removeChannels(["c1"], from: "b1") }, method: "POST",
             path: "/ari/bridges/b1/removeChannel", body: ["channel": ["c1"]]),
        Case(name: "play on channel with id", call: { _ = try await $0.play(["sound:hello", "digits:12"], on: ChannelID("c1"), language: "pt_BR", playbackID: "pb1") },
             method: "POST", path: "/ari/channels/c1/play/pb1", body: ["media": ["sound:hello", "digits:12"], "lang": "pt_BR"],
             response: playback),
        Case(name: "play on bridge", call: { _ = try await $0.play(["sound:x"], on: BridgeID("b1"), skipMilliseconds: 500, announcerFormat: "slin16") },
             method: "POST", path: "/ari/bridges/b1/play", body: ["media": ["sound:x"], "skipms": 500, "announcer_format": "slin16"],
             response: playback),
        Case(name: "get playback", call: { _ = try await $0.playback("pb1") }, method: "GET", path: "/ari/playbacks/pb1", response: playback),
        Case(name: "stop playback", call: { try await $0.stopPlayback("pb1") }, method: "DELETE", path: "/ari/playbacks/pb1"),
        Case(name: "control playback", call: { try await $0.controlPlayback("pb1", .pause) }, method: "POST",
             path: "/ari/playbacks/pb1/control", body: ["operation": "pause"]),
        Case(name: "record channel",
             call: { _ = try await $0.record(ChannelID("c1"), options: RecordingOptions(name: "r1", maxDurationSeconds: 60, ifExists: .overwrite, beep: true, terminateOn: .pound)) },
             method: "POST", path: "/ari/channels/c1/record",
             body: ["name": "r1", "format": "wav", "maxDurationSeconds": 60, "ifExists": "overwrite", "beep": true, "terminateOn": "#"],
             response: recording),
        Case(name: "record bridge", call: { _ = try await $0.record(BridgeID("b1"), options: RecordingOptions(name: "r1", format: "sln16"), recorderFormat: "slin16") },
             method: "POST", path: "/ari/bridges/b1/record", body: ["name": "r1", "format": "sln16", "recorder_format": "slin16"],
             response: recording),
        Case(name: "get live recording", call: { _ = try await $0.liveRecording("r1") }, method: "GET", path: "/ari/recordings/live/r1",
             response: recording),
        Case(name: "stop recording", call: { try await $0.stopRecording("r1") }, method: "POST", path: "/ari/recordings/live/r1/stop"),
        Case(name: "discard recording", call: { try await $0.discardRecording("r1") }, method: "DELETE", path: "/ari/recordings/live/r1"),
        Case(name: "pause recording", call: { try await $0.pauseRecording("r1", true) }, method: "POST", path: "/ari/recordings/live/r1/pause"),
        Case(name: "unmute recording", call: { try await $0.muteRecording("r1", false) }, method: "DELETE", path: "/ari/recordings/live/r1/mute"),
        Case(name: "get channel variable", call: { _ = try await $0.variable("CHANNEL(peerip)", of: ChannelID("c1")) }, method: "GET",
             path: "/ari/channels/c1/variable", query: ["variable": "CHANNEL(peerip)"], response: #"{"value":"10.0.0.9"}"#),
        Case(name: "set channel variable", call: { try await $0.setVariable("TALK_DETECT(set)", to: "", of: ChannelID("c1"), reportEvents: true) },
             method: "POST", path: "/ari/channels/c1/variable", body: ["variable": "TALK_DETECT(set)", "value": "", "report_events": true]),
        Case(name: "get channel variables", call: { _ = try await $0.variables(["A", "B"], of: ChannelID("c1")) }, method: "GET",
             path: "/ari/channels/c1/variables", query: ["variables": "A,B"], response: #"{"variables":{"A":"1"}}"#),
        Case(name: "set channel variables", call: { try await $0.setVariables(["A": "1", "B": "2"], of: ChannelID("c1")) }, method: "POST",
             path: "/ari/channels/c1/variables", body: ["variables": ["A": "1", "B": "2"]]),
        Case(name: "get bridge variable", call: { _ = try await $0.variable("X", of: BridgeID("b1")) }, method: "GET",
             path: "/ari/bridges/b1/variable", query: ["variable": "X"], response: #"{"value":"1"}"#),
        Case(name: "set bridge variables", call: { try await $0.setVariables(["A": "1"], of: BridgeID("b1")) }, method: "POST",
             path: "/ari/bridges/b1/variables", body: ["variables": ["A": "1"]]),
        Case(name: "global variable", call: { _ = try await $0.globalVariable("G") }, method: "GET", path: "/ari/asterisk/variable",
             query: ["variable": "G"], response: #"{"value":""}"#),
        Case(name: "ping", call: { _ = try await $0.ping() }, method: "GET", path: "/ari/asterisk/ping",
             response: #"{"ping":"pong","timestamp":"2026-11-26T12:24:28.512+0000","asterisk_id":"02:fc:00:00:00:01"}"#),
        Case(name: "info", call: { _ = try await $0.info([.system, .status]) }, method: "GET", path: "/ari/asterisk/info",
             query: ["only": "system,status"],
             response: #"{"system":{"version":"22.10.1","entity_id":"02:fc"},"status":{"startup_time":"2026-11-26T12:00:00.000+0000","last_reload_time":"2026-11-26T12:00:00.000+0000"}}"#),
        Case(name: "get application", call: { _ = try await $0.application("ura") }, method: "GET", path: "/ari/applications/ura",
             response: application),
        Case(name: "list applications", call: { _ = try await $0.listApplications() }, method: "GET", path: "/ari/applications",
             response: "[\(application)]"),
        Case(name: "subscribe", call: { _ = try await $0.subscribe("ura", to: ["channel:c1", "bridge:b1"]) }, method: "POST",
             path: "/ari/applications/ura/subscription", body: ["eventSource": ["channel:c1", "bridge:b1"]], response: application),
        Case(name: "unsubscribe", call: { _ = try await $0.unsubscribe("ura", from: ["channel:c1"]) }, method: "DELETE",
             path: "/ari/applications/ura/subscription", query: ["eventSource": "channel:c1"], response: application),
        Case(name: "ids are percent-encoded", call: { try await $0.answer("a/b?c d&é") }, method: "POST",
             path: "/ari/channels/a%2Fb%3Fc%20d%26%C3%A9/answer"),
    ]

    @Test(arguments: cases)
    func sendsTheDocumentedRequest(_ testCase: Case) async throws {
        try await ARIClientHarness.run(handler: { _ in
            testCase.response.map { .json(200, $0) } ?? .empty(204)
        }) { harness in
            try await testCase.call(harness.client)
            let request = try harness.request
            #expect(request.method == testCase.method)
            #expect(request.path == testCase.path)
            #expect(Dictionary(request.queryItems.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) == testCase.query)
            #expect(request.queryItems.count == testCase.query.count)
            let expectedAuth = "Basic " + Data("\(ARIClientHarness.username):\(ARIClientHarness.password)".utf8).base64EncodedString()
            #expect(request.header("Authorization") == expectedAuth)
            if let body = testCase.body {
                #expect(request.json == body)
                #expect(request.header("Content-Type") == "application/json")
            } else {
                #expect(request.body.isEmpty)
            }
        }
    }
}
