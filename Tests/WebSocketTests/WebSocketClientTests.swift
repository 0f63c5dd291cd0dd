import Foundation
import LoopbackWebSocketServer
import Synchronization
import Testing
@testable import WebSocket

/// Collects a client's events from a child task so tests can wait for conditions.
final class EventLog: Sendable {
    private let events = Mutex<[WebSocketEvent]>([])

    var all: [WebSocketEvent] { events.withLock { $0 } }
    var texts: [String] { all.compactMap { if case .text(let data) = $0 { String(decoding: data, as: UTF8.self) } else { nil } } }
    var connects: Int { all.filter { $0 == .connected }.count }
    var disconnectReasons: [String] { all.compactMap { if case .disconnected(let reason) = $0 { reason } else { nil } } }

    func consume(_ stream: AsyncStream<WebSocketEvent>) async {
        for await event in stream { events.withLock { $0.append(event) } }
    }

    /// Polls until `condition` holds; false after `timeout`.
    func wait(timeout: Duration = .seconds(10), until condition: (EventLog) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(self)
    }
}

@Suite("WebSocketClient", .timeLimit(.minutes(1)))
struct WebSocketClientTests {
    func configuration(_ server: LoopbackWebSocketServer, path: String = "/ari/events?app=ura,other") -> WebSocketConfiguration {
        WebSocketConfiguration(
            url: URL(string: "ws://127.0.0.1:\(server.port)\(path)")!,
            headers: [("Authorization", "Basic dXJhOnNlY3JldA==")],
            pingInterval: .milliseconds(100), idleTimeout: .milliseconds(500),
            handshakeTimeout: .seconds(1), backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(200)))
    }

    /// Runs `body` with a started client whose events are being recorded, then stops it.
    func withClient(_ configuration: WebSocketConfiguration, _ body: (WebSocketClient, EventLog) async throws -> Void) async throws {
        let client = WebSocketClient(configuration: configuration)
        let log = EventLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await log.consume(client.events) }
            client.start()
            try await body(client, log)
            await client.stop()
            try await group.waitForAll()
        }
    }

    @Test func handshakeCarriesPathQueryAndHeaders() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            #expect(await log.wait { $0.connects == 1 })
            let handshake = try #require(server.handshakes.first)
            #expect(handshake.target == "/ari/events?app=ura,other")
            #expect(handshake.headers["authorization"] == "Basic dXJhOnNlY3JldA==")
            #expect(handshake.headers["host"] == "127.0.0.1:\(server.port)")
        }
    }

    @Test func messagesArriveWholeAndInOrder() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            let connection = try #require(await server.connection(number: 0))
            let big = String(repeating: "x", count: 200_000)
            connection.send(text: "{\"type\":\"one\"}")
            connection.send(text: "{\"type\":\"fragmented\",\"pad\":\"\(String(repeating: "y", count: 5000))\"}", fragments: 7)
            connection.send(text: big)
            connection.send(text: "{\"type\":\"last\"}")
            #expect(await log.wait { $0.texts.count == 4 })
            #expect(log.texts[0] == "{\"type\":\"one\"}")
            #expect(log.texts[1].hasPrefix("{\"type\":\"fragmented\"") && log.texts[1].count == 5000 + 30)
            #expect(log.texts[2] == big)
            #expect(log.texts[3] == "{\"type\":\"last\"}")
        }
    }

    @Test func aBurstOfOneHundredThousandEventsLosesNothing() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            let connection = try #require(await server.connection(number: 0))
            let count = 100_000
            for start in stride(from: 0, to: count, by: 10_000) {
                connection.send(texts: (start..<start + 10_000).map { "{\"type\":\"ChannelVarset\",\"n\":\($0)}" })
            }
            #expect(await log.wait(timeout: .seconds(30)) { $0.texts.count == count })
            let numbers = log.texts.map { Int($0.split(separator: ":").last!.dropLast())! }
            #expect(numbers == Array(0..<count))
        }
    }

    @Test func aSessionSendsBinaryEndsWithItsConnectionAndRefusesOversizedMessages() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        var session = configuration(server)
        session.reconnects = false
        session.maximumMessageBytes = 1000
        let client = WebSocketClient(configuration: session)
        let log = EventLog()
        let consumer = Task { await log.consume(client.events) }
        client.start()
        client.send(binary: Data([0, 1, 2, 255]))
        let connection = try #require(await server.connection(number: 0))
        #expect(await EventLog().wait { _ in connection.receivedBinary == [0, 1, 2, 255] })
        connection.send(text: String(repeating: "z", count: 5000))
        // The events end by themselves: no reconnection in a session.
        await consumer.value
        #expect(log.disconnectReasons.contains { $0.contains("over 1000 bytes") }, "\(log.disconnectReasons)")
        #expect(log.texts.isEmpty && log.connects == 1)
        #expect(!log.all.contains { if case .reconnecting = $0 { true } else { false } })
        await client.stop()
    }

    @Test func clientMessagesReachTheServer() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { client, log in
            #expect(await log.wait { $0.connects == 1 })
            client.send(text: "{\"type\":\"RESTRequest\"}")
            let connection = try #require(await server.connection(number: 0))
            #expect(await log.wait { _ in connection.receivedTexts == ["{\"type\":\"RESTRequest\"}"] })
        }
    }

    @Test(arguments: ["close", "kill"])
    func serverGoingAwayIsFollowedByReconnect(how: String) async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            let first = try #require(await server.connection(number: 0))
            if how == "close" { first.close(code: 1011) } else { first.kill() }
            let second = try #require(await server.connection(number: 1))
            #expect(await log.wait { $0.connects == 2 })
            second.send(text: "after")
            #expect(await log.wait { $0.texts == ["after"] })
            let reconnecting = log.all.compactMap { if case .reconnecting(let attempt, let delay) = $0 { (attempt, delay) } else { nil } }
            #expect(reconnecting.first?.0 == 1)
            #expect(reconnecting.first.map { $0.1 <= .milliseconds(20) } == true)
        }
    }

    @Test func silentPeerIsDroppedAndReconnected() async throws {
        let server = try await LoopbackWebSocketServer(behaviour: .init(answersPings: false))
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            let first = try #require(await server.connection(number: 0))
            #expect(await log.wait { $0.disconnectReasons.contains { $0.contains("no data or pong") } })
            #expect(first.pingsReceived >= 2)
            server.setBehaviour(.init(answersPings: true))
            #expect(await log.wait { $0.connects >= 2 })
        }
    }

    @Test func pongsKeepAQuietConnectionAlive() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            #expect(await log.wait { $0.connects == 1 })
            try await Task.sleep(for: .milliseconds(1500))
            #expect(log.disconnectReasons.isEmpty)
            #expect(try #require(server.connections.first).pingsReceived >= 5)
        }
    }

    @Test func handshakeThatNeverCompletesIsRetried() async throws {
        let server = try await LoopbackWebSocketServer(behaviour: .init(handshake: .hang))
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            #expect(await log.wait { $0.disconnectReasons.count >= 1 })
            #expect(log.connects == 0)
            server.setBehaviour(.init())
            #expect(await log.wait { $0.connects == 1 })
            #expect(server.handshakes.count >= 2)
        }
    }

    @Test func refusedHandshakeAndNoServerAreRetriedWithGrowingDelays() async throws {
        let server = try await LoopbackWebSocketServer(behaviour: .init(handshake: .reject(status: 401)))
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            #expect(await log.wait { $0.all.filter { if case .reconnecting = $0 { true } else { false } }.count >= 4 })
            let attempts = log.all.compactMap { if case .reconnecting(let attempt, _) = $0 { attempt } else { nil } }
            #expect(Array(attempts.prefix(4)) == [1, 2, 3, 4])
            #expect(log.connects == 0)
        }
    }

    @Test func stopClosesPolitelyAndEndsTheStream() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        try await withClient(configuration(server)) { _, log in
            #expect(await log.wait { $0.connects == 1 })
        }
        let connection = try #require(server.connections.first)
        #expect(await EventLog().wait { _ in connection.clientCloseCode == 1000 })
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test func doublesUpToTheCapWithJitterBelowTheNominalDelay() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        #expect((1...8).map { backoff.delay(attempt: $0, jitter: 1) } == [100, 200, 400, 800, 1600, 3200, 5000, 5000].map { Duration.milliseconds($0) })
        #expect(backoff.delay(attempt: 3, jitter: 0) == .milliseconds(200))
        #expect(backoff.delay(attempt: 1000, jitter: 0.5) == .milliseconds(3750))
    }
}
