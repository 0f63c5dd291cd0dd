import CallRecords
import Foundation
import HTTP
import OperatorAPI
import Prometheus
import Synchronization
import Testing
@testable import CallOperations
@testable import Calls

/// The operator API over a harness's calls, as `ura serve` runs it, on a port of its own.
enum OperatorAPIServer {
    static let token = "test-operator-token-0123456789-abcdef"

    /// Sends requests to the running server with the token.
    struct Client: Sendable {
        let base: String
        let http: HTTPClient

        /// One request; `json` is sent as the body.
        func callAsFunction(_ method: HTTPRequest.Method, _ path: String, json: String? = nil) async throws -> HTTPResponse {
            var headers = [("Authorization", "Bearer \(OperatorAPIServer.token)")]
            if json != nil { headers.append(("Content-Type", "application/json")) }
            return try await http.execute(HTTPRequest(method: method, url: URL(string: base + path)!, headers: headers, body: json.map { Data($0.utf8) }))
        }
    }

    static func run(
        harness: CallHarness, journal: CallJournal, store: any CallRecordStore, hub: CallEventHub,
        _ body: (Client) async throws -> Void
    ) async throws {
        let control = OperatorCallControl(services: [harness.service], journal: journal, store: store, application: CallHarness.application)
        let port = Mutex(0)
        let server = OperatorServer(
            host: "127.0.0.1", port: 0, token: token,
            dependencies: OperatorDependencies(control: control, records: store, events: hub, readiness: control, metrics: PrometheusCollectorRegistry()),
            onListening: { bound in port.withLock { $0 = bound } })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            #expect(await harness.waitUntil { port.withLock { $0 } != 0 })
            try await body(Client(base: "http://127.0.0.1:\(port.withLock { $0 })", http: harness.http))
        }
    }
}
