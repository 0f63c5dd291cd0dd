import ARI
import Foundation
import HTTP
import Logging
import LoopbackHTTPServer
import Synchronization

/// A LoopbackHTTPServer, an HTTPClient and an ARIClient wired together, with every log line kept.
struct ARIClientHarness {
    static let username = "ura"
    static let password = "s3cr3t-Pa55"

    let server: LoopbackHTTPServer
    let client: ARIClient
    let logs: LogRecorder

    /// Runs `body` against a server answering with `handler`; tears everything down afterwards.
    static func run(
        timeout: Duration = .seconds(5),
        handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response,
        _ body: (ARIClientHarness) async throws -> Void
    ) async throws {
        let server = try await LoopbackHTTPServer(handler: handler)
        let http = HTTPClient(name: "ari-test-http")
        let logs = LogRecorder()
        var logger = Logger(label: "ari-test") { _ in logs }
        logger.logLevel = .trace
        let client = ARIClient(
            configuration: .init(url: server.baseURL, username: username, password: password, requestTimeout: timeout),
            httpClient: http, logger: logger)
        defer {
            http.shutdown()
            server.shutdown()
        }
        try await body(ARIClientHarness(server: server, client: client, logs: logs))
    }

    /// The only request the server saw.
    var request: LoopbackHTTPServer.Request {
        get throws {
            let requests = server.requests
            guard requests.count == 1 else { throw HarnessError.requestCount(requests.count) }
            return requests[0]
        }
    }

    enum HarnessError: Error {
        case requestCount(Int)
    }
}

extension LoopbackHTTPServer.Request {
    /// The JSON body, parsed; nil when there is none.
    var json: JSONValue? {
        body.isEmpty ? nil : try? JSONValue.parse(body)
    }
}

/// A log handler that keeps every rendered line (message and metadata) in memory.
final class LogRecorder: LogHandler, @unchecked Sendable {
    // @unchecked: `lines` is behind a Mutex; metadata and logLevel are set once during setup.
    private let storage = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [String] { storage.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        storage.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }
}
