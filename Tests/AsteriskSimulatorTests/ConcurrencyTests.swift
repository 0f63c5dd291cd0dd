import AsteriskSimulator
import Foundation
import Glibc
import Testing

@Suite("Many calls at once", .timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test func twentyBridgedCallsStreamAndLeaveNothingBehind() async throws {
        try await withSimulator { asterisk, ari, events in
            let count = 20
            let calls = try await withThrowingTaskGroup(of: (SyntheticCaller, UDPPeer, String, String).self) { group in
                for index in 0..<count {
                    group.addTask {
                        let peer = UDPPeer()
                        let caller = asterisk.placeCall(from: "10\(index)", to: "100", script: [.say(testSignal(seconds: 2, sampleRate: 8000))])
                        let callerID = try #require(caller.channelID)
                        #expect(try await ari.call(.post, "/channels/\(callerID)/answer").status == 204)
                        let bridgeID = try #require(try await ari.call(.post, "/bridges", ["name": "call-\(index)"]).object["id"] as? String)
                        let media = try await ari.call(.post, "/channels/externalMedia", ["app": "ura", "external_host": "127.0.0.1:\(peer.port)", "format": "slin"])
                        let mediaID = try #require(media.object["id"] as? String)
                        _ = try #require(await events.first { $0["type"] as? String == "StasisStart" && channelID($0) == mediaID })
                        #expect(try await ari.call(.post, "/bridges/\(bridgeID)/addChannel", ["channel": "\(callerID),\(mediaID)"]).status == 204)
                        return (caller, peer, mediaID, bridgeID)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(asterisk.channels.count == 2 * count)
            let received = await withCheckedContinuation { (continuation: CheckedContinuation<[Int], Never>) in
                let thread = Thread {
                    continuation.resume(returning: calls.map { call in
                        (0..<10).reduce(0) { total, _ in total + (call.1.receive(milliseconds: 500).flatMap(RTPHeader.init)?.payloadCount == 320 ? 1 : 0) }
                    })
                }
                thread.start()
            }
            #expect(received == Array(repeating: 10, count: count))
            for call in calls {
                call.0.hangUp()
                #expect(try await ari.call(.delete, "/channels/\(call.2)").status == 204)
                #expect(try await ari.call(.delete, "/bridges/\(call.3)").status == 204)
            }
            #expect(asterisk.channels.isEmpty && asterisk.bridges.isEmpty)
            #expect(await eventually { asterisk.rtpPortsInUse == 0 })
        }
    }
}
