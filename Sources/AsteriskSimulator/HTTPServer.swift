import Foundation
import Glibc
import LoopbackWebSocketServer
import Synchronization

/// What the server does with one request.
enum HTTPDisposition: Sendable {
    /// Write this response and keep the connection for the next request.
    case respond(HTTPServerResponse)
    /// Complete a WebSocket handshake, then hand the socket to `run` on this connection's thread.
    case upgrade(run: @Sendable (Int32) -> Void)
}

/// HTTP/1.1 on 127.0.0.1 with REST and WebSocket upgrades on the same port, as Asterisk's
/// built-in server serves both on 8088.
///
/// One accept thread and one blocking thread per connection; keep-alive is honoured because
/// curl reuses connections. Bodies are read by `Content-Length` (max 40960 bytes like
/// `main/http.c`); `Expect: 100-continue` is answered.
final class HTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let connections = Mutex<Set<Int32>>([])
    private let handler: @Sendable (HTTPServerRequest) -> HTTPDisposition

    init(handler: @escaping @Sendable (HTTPServerRequest) -> HTTPDisposition) throws {
        let (fd, port) = try Socket.listen()
        listener = fd
        self.port = port
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "asterisk-sim-http"
        thread.start()
    }

    /// Stops accepting and shuts every open connection down.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        connections.withLock { for fd in $0 { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            guard let fd = Socket.accept(listener, milliseconds: 50) else { continue }
            connections.withLock { _ = $0.insert(fd) }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "asterisk-sim-conn"
            thread.start()
        }
        close(listener)
    }

    private func serve(_ fd: Int32) {
        while !stopped.load(ordering: .acquiring) {
            guard let head = Socket.readHeaderBlock(fd), var request = HTTPServerRequest(head: head) else { break }
            let length = Int(request.headers["content-length"] ?? "0") ?? -1
            guard (0...40960).contains(length) else {
                Socket.write(fd, HTTPServerResponse.error(400, "Invalid request").encoded())
                break
            }
            if request.headers["expect"]?.lowercased() == "100-continue", length > 0 {
                Socket.write(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            if length > 0 {
                guard let body = Socket.read(fd, count: length) else { break }
                request.body = body
            }
            switch handler(request) {
            case .respond(let response):
                guard Socket.write(fd, response.encoded()) else { break }
                response.afterWrite?()
                if request.headers["connection"]?.lowercased() == "close" { break }
            case .upgrade(let run):
                let key = request.headers["sec-websocket-key"] ?? ""
                let accept = Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
                var answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n"
                if request.headers["sec-websocket-protocol"] != nil { answer += "Sec-WebSocket-Protocol: ari\r\n" }
                // The event socket owns the descriptor from here on and closes it itself.
                connections.withLock { _ = $0.remove(fd) }
                guard Socket.write(fd, Array((answer + "\r\n").utf8)) else { close(fd); return }
                run(fd)
                return
            }
        }
        connections.withLock { _ = $0.remove(fd) }
        close(fd)
    }
}
