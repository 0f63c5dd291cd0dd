/// One HTTP response the server writes (hummingbird adds the status line and framing), plus work to run once it is on the wire.
struct HTTPServerResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: JSON?
    /// Runs after the response bytes were written (events Asterisk emits after answering).
    var afterWrite: (@Sendable () -> Void)?

    static func json(_ status: Int, _ body: JSON) -> HTTPServerResponse { HTTPServerResponse(status: status, body: body) }

    static func error(_ status: Int, _ message: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, body: .object([("message", .string(message))]))
    }

    static let noContent = HTTPServerResponse(status: 204)
}
