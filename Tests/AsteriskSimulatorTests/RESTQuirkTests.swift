import AsteriskSimulator
import Foundation
import HTTP
import Testing

@Suite("ARI REST quirks from ari-errors-22.10.1.json", .timeLimit(.minutes(1)))
struct RESTQuirkTests {
    struct Probe: CustomTestStringConvertible, Sendable {
        var method: String
        var path: String
        var query: [String: String] = [:]
        var status: Int
        var message: String?
        var testDescription: String { "\(method) \(path) \(query)" }
    }

    static let probes: [Probe] = [
        Probe(method: "POST", path: "/channels/no-such-channel/answer", status: 404, message: "Channel not found"),
        Probe(method: "GET", path: "/channels/no-such-channel", status: 404, message: "Channel not found"),
        Probe(method: "DELETE", path: "/channels/no-such-channel", status: 404, message: "Channel not found"),
        Probe(method: "DELETE", path: "/bridges/no-such-bridge", status: 404, message: "Bridge not found"),
        Probe(method: "POST", path: "/bridges/no-such-bridge/addChannel", query: ["channel": "x"], status: 404, message: "Bridge not found"),
        Probe(method: "POST", path: "/channels/externalMedia", query: ["external_host": "127.0.0.1:40000", "format": "ulaw"],
              status: 400, message: "app cannot be empty"),
        Probe(method: "POST", path: "/channels/externalMedia", query: ["app": "ura", "external_host": "127.0.0.1:40000"],
              status: 400, message: "format cannot be empty"),
        Probe(method: "POST", path: "/channels/externalMedia", query: ["app": "ura", "external_host": "127.0.0.1:40000", "format": "nosuchcodec"],
              status: 500, message: "An internal error prevented this request from being handled"),
        Probe(method: "POST", path: "/channels/externalMedia", query: ["app": "ura", "format": "ulaw"],
              status: 400, message: "external_host is required for all but websocket server connections"),
        Probe(method: "GET", path: "/channels/no-such-channel/variable", status: 400, message: "Variable name is required"),
        Probe(method: "GET", path: "/channels/", status: 404),
        Probe(method: "GET", path: "/asterisk/ping", status: 200),
    ]

    @Test(arguments: probes)
    func errorProbe(_ probe: Probe) async throws {
        try await withSimulator(apps: nil) { _, ari, _ in
            let method = try #require(HTTPRequest.Method(rawValue: probe.method))
            let reply = try await ari.call(method, probe.path, probe.query)
            #expect(reply.status == probe.status)
            if let message = probe.message { #expect(reply.message == message) }
        }
    }

    @Test func addChannelWithUnknownChannelOnARealBridgeIs400() async throws {
        try await withSimulator(apps: nil) { _, ari, _ in
            let bridge = try await ari.call(.post, "/bridges", ["bridgeId": "b1"])
            #expect(bridge.object["id"] as? String == "b1")
            #expect(bridge.object["technology"] as? String == "simple_bridge")
            let reply = try await ari.call(.post, "/bridges/b1/addChannel", ["channel": "nope"])
            #expect(reply.status == 400)
            #expect(reply.message == "Channel not found")
            #expect(try await ari.call(.post, "/bridges", ["bridgeId": "b1"]).status == 409)
        }
    }

    @Test func authenticationByHeaderOrApiKey() async throws {
        try await withSimulator(apps: nil) { asterisk, ari, _ in
            let wrong = try await ari.call(.get, "/asterisk/info", password: "wrong")
            #expect(wrong.status == 401)
            #expect(wrong.headers.header("WWW-Authenticate") == "Basic realm=\"Asterisk REST Interface\"")
            #expect(wrong.message == "Authentication required")
            #expect(try await ari.call(.get, "/asterisk/info", auth: false).status == 401)
            let keyed = try await ari.call(.get, "/asterisk/info", ["api_key": "\(asterisk.username):\(asterisk.password)"], auth: false)
            #expect(keyed.status == 200)
            #expect((keyed.object["system"] as? [String: Any])?["entity_id"] as? String == asterisk.configuration.asteriskID)
        }
    }

    @Test func jsonBodiesCountOnlyWithTheirContentTypeAndMustParse() async throws {
        try await withSimulator(apps: nil) { _, ari, _ in
            let body = #"{"app":"ura","external_host":"127.0.0.1:40000","format":"nosuchcodec"}"#
            #expect(try await ari.call(.post, "/channels/externalMedia", body: body).status == 500)
            let ignored = try await ari.call(.post, "/channels/externalMedia", body: body, contentType: "text/plain")
            #expect(ignored.message == "app cannot be empty")
            let broken = try await ari.call(.post, "/channels/externalMedia", body: #"{"app": "#)
            #expect(broken.status == 400)
            // A JSON value of the wrong type is not a string parameter.
            let typed = try await ari.call(.post, "/channels/externalMedia", body: #"{"app":7,"external_host":"127.0.0.1:1","format":"ulaw"}"#)
            #expect(typed.message == "app cannot be empty")
        }
    }

    @Test func externalMediaForAnAppWithoutSocketDiesAtOnce() async throws {
        try await withSimulator(apps: nil) { asterisk, ari, _ in
            let peer = UDPPeer()
            let reply = try await ari.call(.post, "/channels/externalMedia", ["app": "nobody", "external_host": "127.0.0.1:\(peer.port)", "format": "ulaw"])
            #expect(reply.status == 200)
            let id = try #require(reply.object["id"] as? String)
            #expect(await eventually { asterisk.channels.isEmpty })
            #expect(try await ari.call(.get, "/channels/\(id)").status == 404)
            #expect(asterisk.counters.failedStasis == 1)
        }
    }

    @Test func continueLeavesStasisAndTheDialplanHangsUp() async throws {
        try await withSimulator { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "100")
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let id = try #require(channelID(start))
            #expect(try await ari.call(.post, "/channels/\(id)/continue").status == 204)
            #expect(await caller.waitUntilEnded())
            #expect(try await ari.call(.post, "/channels/\(id)/answer").status == 404)
        }
    }

    @Test func actionsOnAChannelOutsideStasisAre409() async throws {
        try await withSimulator(SimulatorConfiguration(originateAnswerDelay: .seconds(5))) { asterisk, ari, _ in
            let reply = try await ari.call(.post, "/channels", ["endpoint": "PJSIP/2002", "app": "ura"])
            let id = try #require(reply.object["id"] as? String)
            let answer = try await ari.call(.post, "/channels/\(id)/answer")
            #expect(answer.status == 409)
            #expect(answer.message == "Channel not in Stasis application")
            #expect(try await ari.call(.delete, "/channels/\(id)").status == 204)
            #expect(asterisk.channels.isEmpty)
        }
    }

    @Test func playReturnsAPlaybackAndItsEvents() async throws {
        try await withSimulator(SimulatorConfiguration(playbackDuration: .milliseconds(20))) { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "100")
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let id = try #require(channelID(start))
            #expect(try await ari.call(.post, "/channels/\(id)/play", ["media": "sound:hello-world"]).status == 412)
            #expect(try await ari.call(.post, "/channels/\(id)/answer").status == 204)
            let play = try await ari.call(.post, "/channels/\(id)/play", ["media": "sound:hello-world", "playbackId": "p1"])
            #expect(play.status == 201)
            #expect(play.headers.header("Location") == "/playbacks/p1")
            #expect(play.object["target_uri"] as? String == "channel:\(id)")
            let finished = try #require(await events.first { $0["type"] as? String == "PlaybackFinished" })
            #expect((finished["playback"] as? [String: Any])?["state"] as? String == "done")
            #expect(try await ari.call(.post, "/channels/\(id)/dtmf", ["dtmf": "42"]).status == 204)
            #expect(caller.dtmfReceived == "42")
            #expect(try await ari.call(.delete, "/channels/\(id)", ["reason": "busy"]).status == 204)
            #expect(await caller.waitUntilEnded())
        }
    }

    @Test func originateAnswersAndEntersTheApp() async throws {
        try await withSimulator { asterisk, ari, events in
            let reply = try await ari.call(.post, "/channels", ["endpoint": "PJSIP/2002", "app": "ura", "appArgs": "agent,7"])
            #expect(reply.status == 200)
            #expect(reply.object["state"] as? String == "Down")
            let id = try #require(reply.object["id"] as? String)
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" && channelID($0) == id })
            #expect(start["args"] as? [String] == ["agent", "7"])
            let phone = try #require(asterisk.phone(channelID: id))
            #expect(phone.status == .answered)
            #expect(try await ari.call(.delete, "/channels/\(id)").status == 204)
            _ = await events.first { $0["type"] as? String == "ChannelDestroyed" && channelID($0) == id }
            #expect(asterisk.channels.isEmpty)
        }
    }
}
