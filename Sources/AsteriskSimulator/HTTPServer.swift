import Foundation
import HTTPTypes
import Hummingbird
import LoopbackHTTPServer
import LoopbackWebSocketServer
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// What the server does with one request.
enum HTTPDisposition: Sendable {
    /// Write this response and keep the connection for the next request.
    case respond(HTTPServerResponse)
    /// Complete a WebSocket handshake, then give the connection's frames to `run`.
    case upgrade(run: @Sendable (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async -> Void)
}

/// HTTP/1.1 on 127.0.0.1 with REST and WebSocket upgrades on the same port, as Asterisk's
/// built-in server serves both on 8088. Hummingbird serves HTTP (keep-alive, as curl reuses
/// connections); NIO does the WebSocket handshake and framing. Bodies over 40960 bytes are
/// refused like `main/http.c` does.
final class HTTPServer: Sendable {
    let port: Int
    private let server: Task<Void, Never>

    /// Starts listening; returns once the port is bound.
    init(handler: @escaping @Sendable (HTTPServerRequest) -> HTTPDisposition) async throws {
        let application = try await LoopbackApplication.start(
            responder: RESTResponder(handler: handler),
            server: WebSocketUpgradeChannel.builder(maxFrameSize: 1 << 16) { head, _ in
                let request = HTTPServerRequest(method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) })
                switch handler(request) {
                case .respond(let refusal):
                    let answer = RESTResponder.response(refusal, closing: true)
                    return .refuse(HTTPResponse(status: answer.status, headerFields: answer.headers), body: ByteBuffer(string: refusal.body?.serialized ?? ""))
                case .upgrade(let run):
                    var headers = HTTPHeaders()
                    if request.headers["sec-websocket-protocol"] != nil { headers.add(name: "Sec-WebSocket-Protocol", value: "ari") }
                    return .accept(headers: headers, handler: run)
                }
            },
            serverName: "Asterisk/22.10.1", label: "asterisk-sim-http")
        server = application.task
        port = application.port
    }

    /// Stops accepting and closes every open connection.
    func stop() { server.cancel() }

    /// Runs REST requests through the handler.
    struct RESTResponder: HTTPResponder {
        typealias Context = BasicRequestContext
        let handler: @Sendable (HTTPServerRequest) -> HTTPDisposition

        func respond(to request: Request, context: Context) async throws -> Response {
            // An upgrade NIO turned down before asking (no key, wrong version) ends at its head:
            // waiting for its body would hang.
            let asksForUpgrade = request.headers[.upgrade] != nil
            guard let body = asksForUpgrade ? ByteBuffer() : try? await request.body.collect(upTo: 40960) else {
                return Self.response(.error(400, "Invalid request"), closing: true)
            }
            var received = HTTPServerRequest(
                method: request.method.rawValue, target: request.uri.string, headers: request.headers.map { ($0.name.rawName, $0.value) })
            received.body = Array(buffer: body)
            switch handler(received) {
            case .respond(let response): return Self.response(response, closing: false)
            case .upgrade: return Self.response(.error(400, "Invalid request"), closing: true)
            }
        }

        static func response(_ response: HTTPServerResponse, closing: Bool) -> Response {
            var headers = HTTPFields()
            for (name, value) in response.headers {
                if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
            }
            if response.body != nil { headers[.contentType] = "application/json" }
            if closing { headers[.connection] = "close" }
            let payload = ByteBuffer(string: response.body?.serialized ?? "")
            guard let afterWrite = response.afterWrite else {
                return Response(status: .init(code: response.status), headers: headers, body: ResponseBody(byteBuffer: payload))
            }
            // Events Asterisk emits after answering go out once the answer is written.
            return Response(status: .init(code: response.status), headers: headers, body: ResponseBody(contentLength: payload.readableBytes) { writer in
                try await writer.write(payload)
                try await writer.finish(nil)
                afterWrite()
            })
        }
    }
}
