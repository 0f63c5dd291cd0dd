import AsteriskSimulator
import Foundation
import Testing

@Suite("Call control and the caller's script", .timeLimit(.minutes(1)))
struct CallControlTests {
    @Test func variablesBridgesRemoveAndRedirect() async throws {
        try await withSimulator { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "100")
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let id = try #require(channelID(start))
            #expect(try await ari.call(.post, "/channels/\(id)/answer").status == 204)
            #expect(try await ari.call(.post, "/channels/\(id)/variable", ["variable": "TOPIC", "value": "billing"]).status == 204)
            #expect(try await ari.call(.get, "/channels/\(id)/variable", ["variable": "TOPIC"]).object["value"] as? String == "billing")
            #expect(try await ari.call(.get, "/channels/\(id)/variable", ["variable": "NOPE"]).status == 404)
            let varset = try #require(await events.first { $0["type"] as? String == "ChannelVarset" && $0["variable"] as? String == "TOPIC" })
            #expect(varset["value"] as? String == "billing")

            let bridge = try await ari.call(.post, "/bridges", ["name": "b"])
            let bridgeID = try #require(bridge.object["id"] as? String)
            #expect(try await ari.call(.post, "/bridges/\(bridgeID)/addChannel", ["channel": id]).status == 204)
            let listed = try await ari.call(.get, "/bridges")
            #expect((listed.json as? [[String: Any]])?.first?["channels"] as? [String] == [id])
            #expect(try await ari.call(.post, "/bridges/\(bridgeID)/removeChannel", ["channel": "nope"]).status == 400)
            #expect(try await ari.call(.post, "/bridges/\(bridgeID)/removeChannel", ["channel": id]).status == 204)
            #expect(try await ari.call(.post, "/bridges/\(bridgeID)/removeChannel", ["channel": id]).status == 422)
            #expect(try await ari.call(.delete, "/channels/\(id)", ["reason": "nonsense"]).status == 400)
            #expect(try await ari.call(.delete, "/channels/\(id)", ["reason": "busy", "reason_code": "17"]).status == 400)

            #expect(try await ari.call(.post, "/channels/\(id)/redirect").status == 400)
            #expect(try await ari.call(.post, "/channels/\(id)/redirect", ["endpoint": "PJSIP/agent"]).status == 204)
            #expect(await caller.waitUntilEnded())
            #expect(caller.transferTarget == "PJSIP/agent")
            #expect(try await ari.call(.delete, "/bridges/\(bridgeID)").status == 204)
            #expect(asterisk.channels.isEmpty && asterisk.bridges.isEmpty)
        }
    }

    @Test func scriptCuesAreRecordedAndTheCallerHangsUpOnCue() async throws {
        try await withSimulator { asterisk, ari, events in
            let caller = asterisk.placeCall(from: "1001", to: "100", script: [
                .mark("greeting-start"), .say(testSignal(seconds: 0.1, sampleRate: 8000)), .pause(.milliseconds(60)), .mark("done"), .hangUp,
            ])
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            let id = try #require(channelID(start))
            #expect(try await ari.call(.post, "/channels/\(id)/answer").status == 204)
            #expect(await caller.waitUntilEnded())
            let recording = caller.recording
            let begin = try #require(recording.marks["greeting-start"]), end = try #require(recording.marks["done"])
            #expect(end > begin)
            #expect(try #require(recording.answeredAfter) <= begin)
            _ = try #require(await events.first { $0["type"] as? String == "StasisEnd" && channelID($0) == id })
            #expect(asterisk.channels.isEmpty)
        }
    }
}
