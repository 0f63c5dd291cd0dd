import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Records each request, asks the test's handler for the answer, and plays it, faults included.
struct ScriptedResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Thrown from a body writer to make hummingbird drop the connection mid-response.
    struct Dropped: Error {}

    let handler: @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response
    let log: RequestLog
    let stopped: Latch

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 << 20)
        let received = LoopbackHTTPServer.Request(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            headers: request.headers.map { ($0.name.rawName, $0.value) }, body: Data(buffer: body))
        log.append(received)
        let scripted = handler(received)
        if scripted.delay > .zero { await stopped.wait(timeout: scripted.delay) }
        let status = HTTPResponse.Status(code: scripted.status)
        var headers = HTTPFields()
        for header in scripted.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        switch scripted.fault {
        case nil:
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: scripted.body)))
        case .neverAnswer?:
            // Hold the connection until the client gives up or the server stops.
            await stopped.wait()
            throw Dropped()
        case .closeMidResponse?:
            let half = ByteBuffer(bytes: scripted.body.prefix(scripted.body.count / 2))
            return Response(status: status, headers: headers, body: ResponseBody(contentLength: scripted.body.count) { writer in
                try await writer.write(half)
                throw Dropped()
            })
        case .chunked(let pieces, let pause)?:
            let stopped = self.stopped
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                for piece in pieces where !piece.isEmpty {
                    if pause > .zero { await stopped.wait(timeout: pause) }
                    try await writer.write(ByteBuffer(bytes: piece))
                }
                try await writer.finish(nil)
            })
        case .gated(let before, let gate, let after)?:
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                for piece in before where !piece.isEmpty { try await writer.write(ByteBuffer(bytes: piece)) }
                await gate.wait(timeout: .seconds(10))
                for piece in after where !piece.isEmpty { try await writer.write(ByteBuffer(bytes: piece)) }
                try await writer.finish(nil)
            })
        }
    }
}
