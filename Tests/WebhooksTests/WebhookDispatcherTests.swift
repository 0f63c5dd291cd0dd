import CallRecords
import CallRecordsTesting
import Foundation
import HTTP
import Logging
import LoopbackHTTPServer
import OperatorAPI
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import Webhooks

/// Call events posted to the business's endpoint: signed, in order, retried, never in a call's way.
@Suite(.timeLimit(.minutes(1))) struct WebhookDispatcherTests {
    static let secret = "webhook-secret-0123456789"

    struct Event: Decodable {
        var id: String
        var type: String
        var call: CallDetail
    }

    /// Runs a dispatcher posting to `server` until `body` returns, then shuts it down gracefully.
    static func with(
        _ server: LoopbackHTTPServer, turns: Bool = true, _ body: (WebhookDispatcher) async throws -> Void
    ) async throws {
        let http = HTTPClient(name: "webhook-test")
        defer { http.shutdown() }
        var settings = WebhookDispatcher.Settings(url: server.baseURL.appending(path: "hooks/ura"), secret: secret, turns: turns)
        settings.backoff = .milliseconds(20)
        let dispatcher = WebhookDispatcher(settings: settings, http: http, logger: Logger(label: "test.webhooks"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await dispatcher.run() }
                try await body(dispatcher)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    static func wait(for condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }

    @Test func eventsArriveSignedInOrderWithTheWholeRecord() async throws {
        let server = try await LoopbackHTTPServer { _ in .empty(204) }
        defer { server.shutdown() }
        var record = SampleRecords.call(id: "ura-abc", outcome: nil)
        try await Self.with(server) { dispatcher in
            dispatcher.record(record, reached: .started)
            record.turns = SampleRecords.call(id: "ura-abc").turns
            dispatcher.record(record, reached: .turnEnded)
            record = SampleRecords.call(id: "ura-abc", outcome: .completed)
            dispatcher.record(record, reached: .ended)
            let arrived = try await Self.wait { server.requests.count == 3 }
            #expect(arrived)
        }
        let events = try server.requests.map { request in
            #expect(request.method == "POST" && request.path == "/hooks/ura")
            let signature = try #require(request.header(WebhookSignature.header))
            #expect(WebhookSignature.verify(signature, body: request.body, secret: Self.secret), "signature checks out")
            #expect(!WebhookSignature.verify(signature, body: request.body + Data(" ".utf8), secret: Self.secret), "a changed body does not")
            #expect(!WebhookSignature.verify(signature, body: request.body, secret: "another-secret-0000"))
            let event = try OperatorJSON.decoder().decode(Event.self, from: request.body)
            #expect(request.header("X-URA-Event") == event.type && request.header("X-URA-Delivery") == event.id)
            return event
        }
        #expect(events.map(\.type) == ["call.started", "call.turn", "call.ended"])
        #expect(events.last?.call == CallDetail(record), "call.ended carries the whole final record")
        #expect(events.last?.call.state == "ended" && events.first?.call.state == "active")
        #expect(Set(events.map(\.id)).count == 3)
    }

    @Test func turnsAreSentOnlyWhenAskedFor() async throws {
        let server = try await LoopbackHTTPServer { _ in .empty(200) }
        defer { server.shutdown() }
        try await Self.with(server, turns: false) { dispatcher in
            dispatcher.record(SampleRecords.call(id: "a", outcome: nil), reached: .started)
            dispatcher.record(SampleRecords.call(id: "a", outcome: nil), reached: .turnEnded)
            dispatcher.record(SampleRecords.call(id: "a"), reached: .ended)
            let arrived = try await Self.wait { server.requests.count == 2 }
            #expect(arrived)
        }
        #expect(server.requests.map { $0.header("X-URA-Event") } == ["call.started", "call.ended"])
    }

    @Test func aFailingEndpointIsRetriedWithTheSameDeliveryAndARefusalIsNot() async throws {
        let answered = Mutex(0)
        let server = try await LoopbackHTTPServer { request in
            let count = answered.withLock { count in
                count += 1
                return count
            }
            if request.header("X-URA-Event") == "call.started" { return .empty(count <= 2 ? 503 : 204) }
            return .empty(400)
        }
        defer { server.shutdown() }
        try await Self.with(server) { dispatcher in
            dispatcher.record(SampleRecords.call(id: "r", outcome: nil), reached: .started)
            dispatcher.record(SampleRecords.call(id: "r"), reached: .ended)
            let arrived = try await Self.wait { server.requests.count == 4 }
            #expect(arrived)
        }
        let deliveries = server.requests.map { $0.header("X-URA-Delivery") }
        #expect(deliveries[0] == deliveries[1] && deliveries[1] == deliveries[2], "three tries of one event")
        #expect(server.requests.count == 4, "a 400 is not retried")
    }

    @Test func anUnreachableEndpointNeverHoldsUpTheCaller() async throws {
        // Nothing listens: every delivery fails after its retries, while record(_:reached:) returns at once.
        let server = try await LoopbackHTTPServer { _ in .empty(200) }
        let url = server.baseURL
        server.shutdown()
        let http = HTTPClient(name: "webhook-test")
        defer { http.shutdown() }
        var settings = WebhookDispatcher.Settings(url: url, secret: Self.secret, turns: true)
        settings.queueLimit = 5
        let dispatcher = WebhookDispatcher(settings: settings, http: http, logger: Logger(label: "test.webhooks"))
        let start = ContinuousClock.now
        for index in 0..<100 { dispatcher.record(SampleRecords.call(id: "c\(index)"), reached: .ended) }
        #expect(ContinuousClock.now - start < .seconds(1), "queuing is all a call waits for")
    }

    @Test func signaturesOutsideTheToleranceAreRefused() {
        let body = Data("{}".utf8)
        let old = WebhookSignature.sign(body, secret: Self.secret, timestamp: Int(Date().timeIntervalSince1970) - 3600)
        #expect(!WebhookSignature.verify(old, body: body, secret: Self.secret))
        #expect(!WebhookSignature.verify("v1=abc", body: body, secret: Self.secret))
        #expect(!WebhookSignature.verify("", body: body, secret: Self.secret))
    }
}
