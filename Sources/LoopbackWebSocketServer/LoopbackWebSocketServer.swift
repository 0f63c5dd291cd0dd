import Foundation
import Glibc
import Synchronization

/// A WebSocket server on 127.0.0.1 for tests, with the faults a real server can show.
///
/// It speaks RFC 6455 with its own code (it shares nothing with the client under test): one
/// accept thread, one thread per connection, blocking sockets. ``Behaviour`` decides how it
/// treats new connections; a ``Connection`` lets a test push messages, close politely or kill.
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

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let state: Mutex<State>
    private let stopped = Atomic<Bool>(false)

    struct State {
        var behaviour: Behaviour
        var connections: [Connection] = []
        var handshakes: [HandshakeRequest] = []
        var waiters: [CheckedContinuation<Connection?, Never>] = []
    }

    /// A handshake request as the server read it.
    public struct HandshakeRequest: Sendable {
        /// Path and query, as sent.
        public var target: String
        /// Header names lower-cased.
        public var headers: [String: String]
    }

    public init(behaviour: Behaviour = Behaviour()) throws {
        let (fd, port) = try Socket.listen()
        listener = fd
        self.port = port
        state = Mutex(State(behaviour: behaviour))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "ws-test-accept"
        thread.start()
    }

    /// Changes how later connections are treated.
    public func setBehaviour(_ behaviour: Behaviour) {
        state.withLock { $0.behaviour = behaviour }
    }

    /// Every handshake request received so far.
    public var handshakes: [HandshakeRequest] { state.withLock { $0.handshakes } }

    /// Connections that completed the handshake, oldest first.
    public var connections: [Connection] { state.withLock { $0.connections } }

    /// Waits for the next connection that completes the handshake (beyond `count` already seen).
    public func connection(number: Int, timeout: Duration = .seconds(10)) async -> Connection? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let connection = state.withLock({ $0.connections.count > number ? $0.connections[number] : nil }) {
                return connection
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Stops accepting and kills every connection.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for connection in connections { connection.kill() }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            guard let fd = Socket.accept(listener, milliseconds: 50) else { continue }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "ws-test-connection"
            thread.start()
        }
        close(listener)
    }

    private func serve(_ fd: Int32) {
        guard let request = Socket.readHeaderBlock(fd) else { close(fd); return }
        let lines = request.components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let behaviour = state.withLock { state in
            state.handshakes.append(HandshakeRequest(target: target, headers: headers))
            return state.behaviour
        }
        switch behaviour.handshake {
        case .hang:
            // Hold the socket open without answering until the client gives up.
            while !stopped.load(ordering: .acquiring), Socket.read(fd, count: 1) != nil {}
            close(fd)
            return
        case .reject(let status):
            Socket.write(fd, Array("HTTP/1.1 \(status) Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            close(fd)
            return
        case .accept:
            break
        }
        let key = headers["sec-websocket-key"] ?? ""
        let accept = Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n"
        if let requested = headers["sec-websocket-protocol"]?.split(separator: ",").first {
            response += "Sec-WebSocket-Protocol: \(requested.trimmingCharacters(in: .whitespaces))\r\n"
        }
        guard Socket.write(fd, Array((response + "\r\n").utf8)) else { close(fd); return }
        let connection = Connection(fd: fd, answersPings: behaviour.answersPings)
        state.withLock { $0.connections.append(connection) }
        connection.readLoop()
    }
}
