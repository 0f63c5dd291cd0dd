import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 for tests: records every request and answers with scripted
/// responses. Hummingbird serves it; this type only scripts and records.
///
/// It listens on an ephemeral port and keeps connections alive between requests, as real
/// servers do (a client that reuses connections opens few: ``connectionCount``).
///
/// Faults for client tests are set per response (``Response/Fault``): answer late, never answer,
/// drop the connection half-way through the body, or stream a chunked body in timed pieces.
///
/// ```swift
/// let server = try await LoopbackHTTPServer { request in .json(200, #"{"ok":true}"#) }
/// defer { server.shutdown() }
/// // … point a client at server.baseURL …
/// #expect(server.requests.first?.method == "GET")
/// ```
///
/// - Important: call ``shutdown()``; it stops the server and closes every open connection.
public final class LoopbackHTTPServer: Sendable {
    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    private let log: RequestLog
    private let tally: ConnectionTally
    private let stopped: Latch
    private let server: Task<Void, Never>

    /// Starts listening; returns once the port is bound.
    /// - Parameter handler: builds the answer to each request (keep it quick: it runs on the
    ///   cooperative pool; script slowness with ``Response/delay`` or a ``Response/Fault``).
    /// - Throws: ``LoopbackHTTPServerError`` if the server could not start.
    public init(handler: @escaping @Sendable (Request) -> Response) async throws {
        let log = RequestLog()
        let tally = ConnectionTally()
        let stopped = Latch()
        let application = try await LoopbackApplication.start(
            responder: ScriptedResponder(handler: handler, log: log, stopped: stopped),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionCounter(tally: tally)])), label: "loopback-http")
        server = application.task
        port = application.port
        self.log = log
        self.tally = tally
        self.stopped = stopped
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// TCP connections accepted so far (a client that reuses connections opens few).
    public var connectionCount: Int { tally.accepted }

    /// TCP connections open now (a client that aborted a transfer closed its connection).
    public var openConnectionCount: Int { tally.open }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { log.requests }

    /// Stops the server: responses held open (never answered, waiting at a gate) end, and every
    /// connection closes. Idempotent; does not wait for the server to finish stopping.
    public func shutdown() {
        stopped.open()
        server.cancel()
    }
}

/// Why a ``LoopbackHTTPServer`` could not start.
public enum LoopbackHTTPServerError: Error, CustomStringConvertible {
    case didNotStart

    public var description: String { "the loopback HTTP server did not start listening on 127.0.0.1" }
}

/// Every request a server received, in arrival order.
final class RequestLog: Sendable {
    private let entries = Mutex<[LoopbackHTTPServer.Request]>([])

    var requests: [LoopbackHTTPServer.Request] { entries.withLock { $0 } }

    func append(_ request: LoopbackHTTPServer.Request) { entries.withLock { $0.append(request) } }
}
