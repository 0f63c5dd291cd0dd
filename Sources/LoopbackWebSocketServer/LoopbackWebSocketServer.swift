import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket
import LoopbackHTTPServer
import Synchronization

/// A WebSocket server on 127.0.0.1 for tests, with the faults a real server can show.
///
/// Hummingbird serves HTTP (any plain request gets a 404) and NIO does the handshake and framing
/// (``WebSocketUpgradeChannel``);
/// it shares nothing with the client under test. ``Behaviour`` decides how it treats new
/// connections; a ``Connection`` lets a test push messages, close politely or kill.
public final class LoopbackWebSocketServer: Sendable {
    /// How the server treats handshakes and pings.
    public struct Behaviour: Sendable {
        public enum Handshake: Sendable {
            /// Answer 101 and speak WebSocket.
            case accept
            /// Read the request and never answer (a hung server).
            case hang
            /// Answer with this HTTP status and close.
            case reject(status: Int)
        }

        public var handshake: Handshake = .accept
        /// Answer client pings with pongs (false: a silent peer).
        public var answersPings = true

        public init(handshake: Handshake = .accept, answersPings: Bool = true) {
            self.handshake = handshake
            self.answersPings = answersPings
        }
    }

    /// A handshake request as the server read it.
    public struct HandshakeRequest: Sendable {
        /// Path and query, as sent.
        public var target: String
        /// Header names lower-cased.
        public var headers: [String: String]
    }

    /// The port the server listens on.
    public let port: Int
    private let registry: Registry
    private let server: Task<Void, Never>

    /// What the server has seen, shared with the connection handlers.
    final class Registry: Sendable {
        struct State {
            var behaviour: Behaviour
            var connections: [Connection] = []
            var handshakes: [HandshakeRequest] = []
        }

        let state: Mutex<State>
        let stopped = Latch()

        init(behaviour: Behaviour) { state = Mutex(State(behaviour: behaviour)) }
    }

    /// Starts listening; returns once the port is bound.
    /// - Parameter tls: serve `wss://` with this configuration (a test CA's certificate) instead of `ws://`.
    /// - Throws: ``LoopbackHTTPServerError`` if it could not listen; NIOSSL's error for a bad `tls`.
    public init(behaviour: Behaviour = Behaviour(), tls: TLSConfiguration? = nil) async throws {
        let registry = Registry(behaviour: behaviour)
        let webSocket = WebSocketUpgradeChannel.builder { head, _ in await Self.decide(head, registry: registry) }
        let application = try await LoopbackApplication.start(
            responder: CallbackResponder { (_: Request, _: BasicRequestContext) in Response(status: .notFound) },
            server: tls.map { try HTTPServerBuilder.tls(webSocket, tlsConfiguration: $0) } ?? webSocket, label: "loopback-websocket")
        server = application.task
        port = application.port
        self.registry = registry
    }

    /// Changes how later connections are treated.
    public func setBehaviour(_ behaviour: Behaviour) {
        registry.state.withLock { $0.behaviour = behaviour }
    }

    /// Every handshake request received so far.
    public var handshakes: [HandshakeRequest] { registry.state.withLock { $0.handshakes } }

    /// Connections that completed the handshake, oldest first.
    public var connections: [Connection] { registry.state.withLock { $0.connections } }

    /// Waits for the next connection that completes the handshake (beyond `count` already seen).
    public func connection(number: Int, timeout: Duration = .seconds(10)) async -> Connection? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let connection = registry.state.withLock({ $0.connections.count > number ? $0.connections[number] : nil }) {
                return connection
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Stops accepting and kills every connection.
    public func stop() {
        registry.stopped.open()
        for connection in connections { connection.kill() }
        server.cancel()
    }

    private static func decide(_ head: HTTPRequestHead, registry: Registry) async -> WebSocketUpgradeDecision {
        var headers: [String: String] = [:]
        for header in head.headers { headers[header.name.lowercased()] = header.value }
        let behaviour = registry.state.withLock { state in
            state.handshakes.append(HandshakeRequest(target: head.uri, headers: headers))
            return state.behaviour
        }
        switch behaviour.handshake {
        case .hang:
            // Hold the request without answering until the client gives up or the server stops.
            await registry.stopped.wait()
            return .refuse(HTTPResponse(status: .serviceUnavailable))
        case .reject(let status):
            return .refuse(HTTPResponse(status: .init(code: status)))
        case .accept:
            var answer = HTTPHeaders()
            if let requested = headers["sec-websocket-protocol"]?.split(separator: ",").first {
                answer.add(name: "Sec-WebSocket-Protocol", value: requested.trimmingCharacters(in: .whitespaces))
            }
            return .accept(headers: answer) { frames in
                let connection = Connection(channel: frames.channel, answersPings: behaviour.answersPings)
                registry.state.withLock { $0.connections.append(connection) }
                await connection.serve(frames)
            }
        }
    }
}
