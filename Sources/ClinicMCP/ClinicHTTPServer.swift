import Foundation
import HTTPTypes
import Hummingbird
import MCP
import NIOCore

/// The ``Clinic`` over MCP's streamable HTTP on loopback (hummingbird hosting the SDK's
/// stateful server transport), one session per `initialize`, as a real deployment would.
public enum ClinicHTTPServer {
    /// The running server, as `body` sees it.
    public struct Handle: Sendable {
        public let url: URL
        let sessions: Sessions

        /// Forgets every session, as a restarted server would: their next request gets 404.
        public func forgetSessions() async { await sessions.closeAll() }

        /// Sessions started so far (one per `initialize`).
        public var sessionsStarted: Int { get async { await sessions.started } }
    }

    /// Serves `clinic` at `http://127.0.0.1:PORT/mcp` while `body` runs.
    public static func withServer<T: Sendable>(_ clinic: Clinic, _ body: @Sendable (Handle) async throws -> T) async throws -> T {
        let sessions = Sessions(clinic: clinic)
        let router = Router()
        router.on("/mcp", method: .post) { request, context in try await sessions.handle(request, context: context) }
        router.on("/mcp", method: .get) { request, context in try await sessions.handle(request, context: context) }
        router.on("/mcp", method: .delete) { request, context in try await sessions.handle(request, context: context) }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await application.runService()
                return nil
            }
            defer { group.cancelAll() }
            guard let port = await ports.first(where: { _ in true }) else { throw CancellationError() }
            let result = try await body(Handle(url: URL(string: "http://127.0.0.1:\(port)/mcp")!, sessions: sessions))
            await sessions.closeAll()
            return result
        }
    }

    /// Routes requests to their session's transport; an `initialize` without one starts one.
    actor Sessions {
        let clinic: Clinic
        var transports: [String: StatefulHTTPServerTransport] = [:]
        private(set) var started = 0

        init(clinic: Clinic) { self.clinic = clinic }

        func handle(_ request: Request, context: some Hummingbird.RequestContext) async throws -> Response {
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = try await request.body.collect(upTo: 1 << 20)
            let mcpRequest = MCP.HTTPRequest(
                method: request.method.rawValue, headers: headers, body: body.readableBytes > 0 ? Data(buffer: body) : nil, path: "/mcp")
            let response: MCP.HTTPResponse
            if let id = mcpRequest.header(HTTPHeaderName.sessionID), let transport = transports[id] {
                response = await transport.handleRequest(mcpRequest)
                if request.method == .delete { transports[id] = nil }
            } else if request.method == .post, mcpRequest.header(HTTPHeaderName.sessionID) == nil {
                let id = UUID().uuidString
                let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id))
                let server = await clinic.makeServer()
                try await server.start(transport: transport)
                transports[id] = transport
                started += 1
                response = await transport.handleRequest(mcpRequest)
            } else {
                response = .error(statusCode: 404, .invalidRequest("Not Found: no such session"))
            }
            return Self.response(response)
        }

        func closeAll() async {
            for transport in transports.values { await transport.disconnect() }
            transports = [:]
        }

        static func response(_ response: MCP.HTTPResponse) -> Response {
            var fields = HTTPFields()
            for (name, value) in response.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
            if case .stream(let stream, _) = response {
                return Response(status: status, headers: fields, body: ResponseBody { writer in
                    do {
                        for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                    } catch {}
                    try await writer.finish(nil)
                })
            }
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.bodyData ?? Data())))
        }
    }

    struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
