import CallOperations
import CallRecords
import Foundation
import HTTP
import Logging
import LoopbackHTTPServer
import OperatorAPI
import Testing
import Webhooks

/// A call through the simulator tells the business's endpoint that it started and how it ended.
@Suite(.timeLimit(.minutes(1))) struct WebhookCallTests {
    @Test func aCallPostsItsStartAndItsEndWithTheRecord() async throws {
        let secret = "webhook-secret-0123456789"
        let server = try await LoopbackHTTPServer { _ in .empty(204) }
        defer { server.shutdown() }
        let http = HTTPClient(name: "webhook-call-test")
        defer { http.shutdown() }
        let dispatcher = WebhookDispatcher(
            settings: .init(url: server.baseURL, secret: secret, turns: true), http: http, logger: Logger(label: "test.webhooks"))
        let journal = CallJournal(store: nil, hub: CallEventHub(), listeners: [dispatcher], logger: Logger(label: "test.records"))
        let delivery = Task { try await dispatcher.run() }
        defer { delivery.cancel() }
        try await CallHarness.run(observer: journal) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.milliseconds(500)), .hangUp])
            #expect(await phone.waitUntilEnded())
            #expect(await harness.waitUntil { server.requests.count == 2 })
        }
        let events = try server.requests.map { request in
            #expect(WebhookSignature.verify(try #require(request.header(WebhookSignature.header)), body: request.body, secret: secret))
            return try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        }
        #expect(events.map { $0["type"] as? String } == ["call.started", "call.ended"])
        let ended = try #require(events.last?["call"] as? [String: Any])
        let call = try #require(ended["call"] as? [String: Any])
        #expect(call["outcome"] as? String == "caller_hangup")
        #expect(call["caller_number"] as? String == "1001")
    }
}
