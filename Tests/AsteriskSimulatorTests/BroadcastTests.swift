import AsteriskSimulator
import Foundation
import Testing

/// `StasisBroadcast()` as captured on Asterisk 22.10.1 (captures/stasis-broadcast-22.10.1.jsonl).
@Suite("StasisBroadcast claiming", .timeLimit(.minutes(1)))
struct BroadcastTests {
    @Test func everyMatchingAppIsOfferedTheCallAndTheFirstClaimWins() async throws {
        try await withSimulator(apps: ["probe-a", "probe-b", "other"]) { asterisk, ari, events in
            let phone = asterisk.placeBroadcastCall(from: "1001", to: "202", filter: "^probe-", timeout: .seconds(2), args: ["x", "y"])
            let id = try #require(phone.channelID)
            #expect(await eventually { events.events.filter { $0["type"] as? String == "CallBroadcast" }.count == 2 })
            let offers = events.events.filter { $0["type"] as? String == "CallBroadcast" }
            #expect(Set(offers.compactMap { $0["application"] as? String }) == ["probe-a", "probe-b"])
            let offer = try #require(offers.first)
            #expect(offer["caller"] as? String == "1001" && offer["called"] as? String == "202")
            let dialplan = (offer["channel"] as? [String: Any])?["dialplan"] as? [String: Any]
            #expect(dialplan?["app_name"] as? String == "StasisBroadcast" && dialplan?["app_data"] as? String == "2000,^probe-,x:y")
            #expect(!events.types.contains("StasisStart"), "nobody is in Stasis before a claim")

            let won = try await ari.call(.post, "/events/claim", ["channelId": id, "application": "probe-a"])
            let lost = try await ari.call(.post, "/events/claim", ["channelId": id, "application": "probe-b"])
            #expect(won.status == 204)
            #expect(lost.status == 409 && lost.message == "Channel has already been claimed by another application")
            let start = try #require(await events.first { $0["type"] as? String == "StasisStart" })
            #expect(start["application"] as? String == "probe-a")
            #expect(start["args"] as? [String] == ["x", "y"])
            #expect(asterisk.counters.claimConflicts == 1)
            // Past the timeout the claimed call is still up.
            try await Task.sleep(for: .milliseconds(2100))
            #expect(phone.status == .ringing)
            #expect(asterisk.counters.broadcastTimeouts == 0)
            phone.hangUp()
        }
    }

    @Test func anUnclaimedCallTimesOutToTheDialplan() async throws {
        try await withSimulator(apps: ["probe-a"]) { asterisk, ari, events in
            let ignored = asterisk.placeBroadcastCall(from: "1001", to: "202", filter: "^probe-", timeout: .milliseconds(200))
            let unmatched = asterisk.placeBroadcastCall(from: "1002", to: "202", filter: "^nobody$", timeout: .milliseconds(200))
            #expect(await eventually { ignored.status == .failedToDialplan && unmatched.status == .failedToDialplan })
            #expect(asterisk.counters.broadcastTimeouts == 2)
            #expect(asterisk.channels.isEmpty)
            #expect(events.types.filter { $0 == "CallBroadcast" }.count == 1)
            let late = try await ari.call(.post, "/events/claim", ["channelId": try #require(ignored.channelID), "application": "probe-a"])
            #expect(late.status == 404 && late.message == "Channel not found or not in broadcast state")
        }
    }

    @Test func claimsWithoutTheirParametersOrForPlainStasisCallsAreRefused() async throws {
        try await withSimulator { asterisk, ari, _ in
            #expect(try await ari.call(.post, "/events/claim", ["application": "ura"]).status == 400)
            #expect(try await ari.call(.post, "/events/claim", ["channelId": "1.1"]).status == 400)
            let plain = asterisk.placeCall(from: "1001", to: "100")
            let id = try #require(plain.channelID)
            #expect(try await ari.call(.post, "/events/claim", ["channelId": id, "application": "ura"]).status == 404)
            #expect(try await ari.call(.get, "/events/claim").status == 405)
        }
    }
}
