import AsteriskSimulator
import Foundation
import Testing

@Suite("Stasis app registration", .timeLimit(.minutes(1)))
struct RegistrationTests {
    @Test func callToAnUnregisteredAppFailsToTheDialplan() async throws {
        try await withSimulator(apps: nil) { asterisk, _, _ in
            let caller = asterisk.placeCall(from: "1001", to: "100")
            #expect(caller.status == .failedToDialplan)
            #expect(asterisk.counters.failedStasis == 1)
            #expect(asterisk.channels.isEmpty)
        }
    }

    @Test func aConsumerThatStopsReadingIsDisconnectedAndItsAppUnregistered() async throws {
        let configuration = SimulatorConfiguration(eventSendBufferSize: 4096)
        try await withSimulator(configuration, apps: nil) { asterisk, _, _ in
            let auth = "api_key=\(asterisk.username):\(asterisk.password)"
            let stalled = try #require(RawEventSocket(port: asterisk.port, path: "/ari/events?app=slow&\(auth)", receiveBuffer: 2048))
            #expect(await eventually { asterisk.registeredApps == ["slow"] })
            var placed = 0
            while asterisk.counters.slowConsumerDisconnects == 0, placed < 2000 {
                asterisk.placeCall(from: "1001", to: "100", app: "slow").hangUp()
                placed += 1
                if placed % 50 == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(await eventually { asterisk.counters.slowConsumerDisconnects == 1 })
            #expect(await eventually { asterisk.registeredApps.isEmpty })
            let failedBefore = asterisk.counters.failedStasis
            #expect(asterisk.placeCall(from: "1001", to: "100", app: "slow").status == .failedToDialplan)
            #expect(asterisk.counters.failedStasis == failedBefore + 1)
            withExtendedLifetime(stalled) {}
        }
    }

    @Test func pingsAreAnsweredAndAMissingAppIsRejected() async throws {
        try await withSimulator(apps: nil) { asterisk, _, _ in
            let auth = "api_key=\(asterisk.username):\(asterisk.password)"
            #expect(RawEventSocket(port: asterisk.port, path: "/ari/events?\(auth)") == nil)
            #expect(RawEventSocket(port: asterisk.port, path: "/ari/events?app=ura&api_key=ura:wrong") == nil)
            let socket = try #require(RawEventSocket(port: asterisk.port, path: "/ari/events?app=a,b&app=c&\(auth)"))
            #expect(await eventually { asterisk.registeredApps == ["a", "b"] })
            socket.send(opcode: 0x9, payload: Array("hi".utf8))
            #expect(socket.read(opcode: 0xA) == Array("hi".utf8))
            socket.send(opcode: 0x8, payload: [0x03, 0xE8])
            #expect(socket.read(opcode: 0x8) != nil)
            #expect(await eventually { asterisk.registeredApps.isEmpty })
        }
    }

    @Test func bytesThatAreNotHTTPGetTheConnectionClosed() async throws {
        try await withSimulator(apps: nil) { asterisk, _, _ in
            #expect(RawEventSocket.closesAfter(sending: Array("\u{16}\u{03}\u{01}garbage\r\n\r\n".utf8), port: asterisk.port))
            #expect(RawEventSocket.closesAfter(sending: [0x00, 0xFF, 0x13, 0x37] + Array(repeating: 0x41, count: 600), port: asterisk.port))
            // The server is still there for well-formed clients.
            #expect(RawEventSocket(port: asterisk.port, path: "/ari/events?app=ura&api_key=\(asterisk.username):\(asterisk.password)") != nil)
        }
    }

    @Test func aSecondRegistrationReplacesTheFirst() async throws {
        try await withSimulator { asterisk, _, events in
            let auth = "api_key=\(asterisk.username):\(asterisk.password)"
            let second = try #require(RawEventSocket(port: asterisk.port, path: "/ari/events?app=ura&\(auth)"))
            let replaced = try #require(await events.first { $0["type"] as? String == "ApplicationReplaced" })
            #expect(replaced["application"] as? String == "ura")
            _ = asterisk.placeCall(from: "1001", to: "100")
            let text = try #require(second.read(opcode: 0x1))
            #expect(String(decoding: text, as: UTF8.self).contains("\"type\":\"StasisStart\""))
            #expect(!events.types.contains("StasisStart"))
        }
    }

    @Test func externalMediaEventsCanComeBeforeTheResponse() async throws {
        try await withSimulator(SimulatorConfiguration(externalMediaEventsBeforeResponse: true)) { asterisk, ari, events in
            let peer = UDPPeer()
            let reply = try await ari.call(.post, "/channels/externalMedia", ["app": "ura", "external_host": "127.0.0.1:\(peer.port)", "format": "ulaw"])
            let id = try #require(reply.object["id"] as? String)
            // The snapshot is the one taken before the dial, as Asterisk returns it.
            #expect(reply.object["state"] as? String == "Down")
            _ = try #require(await events.first { $0["type"] as? String == "StasisStart" && channelID($0) == id })
            #expect(try await ari.call(.delete, "/channels/\(id)").status == 204)
            #expect(asterisk.channels.isEmpty)
        }
    }
}
