import Foundation

extension LoopbackHTTPServer {
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
            private let latch = Latch()

            public init() {}

            /// Lets the waiting response go on.
            public func open() { latch.open() }

            /// Waits until opened, at most `timeout` (a test that never opens it does not hang the server).
            func wait(timeout: Duration) async { await latch.wait(timeout: timeout) }
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
}
