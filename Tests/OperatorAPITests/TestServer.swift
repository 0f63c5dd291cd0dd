import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import Prometheus
import Telemetry
import Testing

/// A running operator API on an ephemeral loopback port, with a real HTTP client aimed at it.
struct TestServer {
    static let token = "test-token-0123456789abcdef0123456789"

    let baseURL: URL
    let client: HTTPClient
    let control: FakeCallControl
    let records: any CallRecordStore
    let events: CallEventHub
    let metrics: URAMetrics

    /// Starts a server, runs `body` against it, then stops the server.
    static func with(
        token: String? = TestServer.token, control: FakeCallControl = FakeCallControl(), readiness: FakeReadiness = FakeReadiness(),
        records: (any CallRecordStore)? = nil, eventsHeartbeat: Duration = .seconds(15), limits: OperatorLimits = OperatorLimits(),
        host: String = "127.0.0.1", tls: OperatorTLS? = nil, _ body: (TestServer) async throws -> Void
    ) async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = URAMetrics(factory: URAMetricsFactory(registry: registry))
        let events = CallEventHub(bufferSize: 64) { metrics.eventsDropped($0) }
        let store = try records ?? SQLiteCallRecordStore(path: ":memory:")
        let dependencies = OperatorDependencies(control: control, records: store, events: events, readiness: readiness, metrics: registry,
            eventsHeartbeat: eventsHeartbeat, limits: limits)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        // Stopping by cancellation makes hummingbird log errors that are expected here.
        var logger = Logger(label: "operator-api-test")
        logger.logLevel = .critical
        let server = OperatorServer(host: host, port: 0, token: token, tls: tls, dependencies: dependencies, logger: logger) {
            portSink.yield($0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A server that fails to start never reports a port: end the wait for one.
                defer { portSink.finish() }
                try await server.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let client = HTTPClient(name: "operator-api-test")
            defer { client.shutdown() }
            let url = try #require(URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)"))
            let testServer = TestServer(baseURL: url, client: client, control: control, records: store, events: events, metrics: metrics)
            do {
                try await body(testServer)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    func request(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, authorization: String? = "Bearer \(TestServer.token)") async throws -> HTTPResponse {
        try await client.execute(makeRequest(method, path, json: json, authorization: authorization))
    }

    func makeRequest(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, authorization: String? = "Bearer \(TestServer.token)") throws -> HTTPRequest {
        var headers: [(name: String, value: String)] = []
        if let authorization { headers.append((name: "Authorization", value: authorization)) }
        if json != nil { headers.append((name: "Content-Type", value: "application/json")) }
        let url = try #require(URL(string: baseURL.absoluteString + path))
        return HTTPRequest(method: method, url: url, headers: headers, body: json.map { Data($0.utf8) })
    }
}

extension HTTPResponse {
    /// The body decoded as the API encodes it.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try OperatorJSON.decoder().decode(T.self, from: body)
    }

    /// The `{"error":{…}}` body of an error answer.
    var apiError: OperatorAPIError.ErrorBody.Detail? {
        try? OperatorJSON.decoder().decode(OperatorAPIError.ErrorBody.self, from: body).error
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}
