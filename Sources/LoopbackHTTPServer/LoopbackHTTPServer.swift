import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: records every request and answers with scripted responses.
///
/// It listens on an ephemeral port. One thread accepts; each connection gets its own thread,
/// which serves requests one after another on the same socket (keep-alive) until the client
/// closes it or sends `Connection: close`. The handler runs on the connection's thread.
/// Request bodies are read by `Content-Length` (chunked request bodies are not supported).
///
/// Faults for client tests are set per response (``Response/Fault``): answer late, never answer,
/// drop the connection half-way through the body, or stream a chunked body in timed pieces.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in .json(200, #"{"ok":true}"#) }
/// defer { server.shutdown() }
/// // … point a client at server.baseURL …
/// #expect(server.requests.first?.method == "GET")
/// ```
///
/// - Important: call ``shutdown()``; it closes the listener and every open connection.
public final class LoopbackHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// `GET`, `POST`, … as sent.
        public var method: String
        /// The path without the query, still percent-encoded.
        public var path: String
        /// The raw query string (without `?`), empty if none.
        public var query: String
        /// Header lines in order, names as sent.
        public var headers: [(name: String, value: String)]
        /// The body (by Content-Length), empty if none.
        public var body: Data

        /// The first header with this name, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The query's parameters, percent-decoded, in order.
        public var queryItems: [(name: String, value: String)] {
            query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
            }
        }
    }

    /// A scripted answer.
    public struct Response: Sendable {
        /// How to misbehave while answering.
        public enum Fault: Sendable {
            /// Read the request and never answer (the connection stays open until the client gives up).
            case neverAnswer
            /// Send the head and half of the body, then close the connection.
            case closeMidResponse
            /// Send the body with chunked transfer encoding, one piece at a time, pausing before each.
            case chunked(pieces: [Data], pause: Duration)
            /// Send `before` as chunks, hold until the test opens `gate`, then send `after` and end:
            /// proves a client acts on the first bytes before the response is complete.
            case gated(before: [Data], gate: Gate, after: [Data])
        }

        /// A barrier a ``Fault/gated(before:gate:after:)`` response waits at, opened by the test.
        public final class Gate: Sendable {
            private let semaphore = DispatchSemaphore(value: 0)

            public init() {}

            /// Lets the waiting response go on.
            public func open() { semaphore.signal() }

            /// Waits until opened, at most `timeout` (a test that never opens it does not hang the server).
            func wait(timeout: Duration) {
                _ = semaphore.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds) * 1000))
            }
        }

        /// The status code; the reason phrase is derived from it.
        public var status: Int
        /// Extra headers; framing (Content-Length or Transfer-Encoding) is added by the server.
        public var headers: [(name: String, value: String)]
        /// The body, or what is left of it under a ``Fault``.
        public var body: Data
        /// Wait this long before answering.
        public var delay: Duration
        /// How to misbehave; nil answers normally.
        public var fault: Fault?

        /// A scripted answer; by default empty, immediate and well-behaved.
        public init(
            status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(),
            delay: Duration = .zero, fault: Fault? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.fault = fault
        }

        /// A response with a JSON body and its Content-Type.
        public static func json(_ status: Int, _ text: String, delay: Duration = .zero) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8), delay: delay)
        }

        /// An empty response (for example 204 No Content).
        public static func empty(_ status: Int) -> Response {
            Response(status: status)
        }
    }

    private struct State {
        var requests: [Request] = []
        var connections: Set<Int32> = []
        var accepted = 0
        var stopped = false
    }

    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let state = Mutex(State())

    /// Starts listening and accepting.
    /// - Parameter handler: builds the answer to each request; runs on the connection's thread.
    /// - Throws: `POSIXError` if the socket cannot be opened.
    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_INET, Self.streamType, 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http-accept"
        thread.start()
    }

    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamType = SOCK_STREAM
    #endif

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// TCP connections accepted so far (a client that reuses connections opens few).
    public var connectionCount: Int { state.withLock { $0.accepted } }

    /// TCP connections open now (a client that aborted a transfer closed its connection).
    public var openConnectionCount: Int { state.withLock { $0.connections.count } }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Closes the listener and every connection; idempotent.
    public func shutdown() {
        // shutdown(2) wakes the threads blocked in accept/recv; each closes its own descriptor. The
        // lock is held throughout so no descriptor is closed (and its number reused) meanwhile.
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            Self.shutdownSocket(listener)
            for connection in state.connections { Self.shutdownSocket(connection) }
        }
    }

    private static func shutdownSocket(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        #else
        _ = Darwin.shutdown(fd, SHUT_RDWR)
        #endif
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break
            }
            let accepted = state.withLock { state in
                guard !state.stopped else { return false }
                state.connections.insert(connection)
                state.accepted += 1
                return true
            }
            guard accepted else {
                close(connection)
                break
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(connection) }
            thread.name = "loopback-http-conn"
            thread.start()
        }
        close(listener)
    }

    private func serve(_ connection: Int32) {
        defer {
            state.withLock { _ = $0.connections.remove(connection) }
            close(connection)
        }
        var reader = SocketReader(fd: connection)
        while let request = reader.readRequest() {
            state.withLock { $0.requests.append(request) }
            let response = handler(request)
            if response.delay > .zero { Thread.sleep(forTimeInterval: response.delay.seconds) }
            switch response.fault {
            case .neverAnswer?:
                // Hold the connection until the client gives up or the server stops.
                while reader.readMore() {}
                return
            case .closeMidResponse?:
                let half = response.body.prefix(response.body.count / 2)
                _ = write(connection, head(response, framing: "Content-Length: \(response.body.count)") + half)
                return
            case .chunked(let pieces, let pause)?:
                guard write(connection, head(response, framing: "Transfer-Encoding: chunked")) else { return }
                for piece in pieces where !piece.isEmpty {
                    Thread.sleep(forTimeInterval: pause.seconds)
                    guard write(connection, Data(String(piece.count, radix: 16).utf8) + Data("\r\n".utf8) + piece + Data("\r\n".utf8)) else { return }
                }
                guard write(connection, Data("0\r\n\r\n".utf8)) else { return }
            case .gated(let before, let gate, let after)?:
                guard write(connection, head(response, framing: "Transfer-Encoding: chunked")) else { return }
                for piece in before where !piece.isEmpty {
                    guard write(connection, chunk(piece)) else { return }
                }
                gate.wait(timeout: .seconds(10))
                for piece in after where !piece.isEmpty {
                    guard write(connection, chunk(piece)) else { return }
                }
                guard write(connection, Data("0\r\n\r\n".utf8)) else { return }
            case nil:
                guard write(connection, head(response, framing: "Content-Length: \(response.body.count)") + response.body) else { return }
            }
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    private func chunk(_ piece: Data) -> Data {
        Data(String(piece.count, radix: 16).utf8) + Data("\r\n".utf8) + piece + Data("\r\n".utf8)
    }

    private func head(_ response: Response, framing: String) -> Data {
        var text = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n\(framing)\r\n"
        for header in response.headers { text += "\(header.name): \(header.value)\r\n" }
        return Data((text + "\r\n").utf8)
    }

    private func write(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0, errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

extension Duration {
    fileprivate var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
