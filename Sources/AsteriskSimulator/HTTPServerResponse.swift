/// One HTTP response the server writes, plus work to run once it is on the wire.
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

    /// The status line, headers and body as bytes.
    func encoded() -> [UInt8] {
        let payload = body.map { Array($0.serialized.utf8) } ?? []
        var head = "HTTP/1.1 \(status) \(HTTPServerResponse.reason(status))\r\nServer: Asterisk/22.10.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if body != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(payload.count)\r\n\r\n"
        return Array(head.utf8) + payload
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 422: "Unprocessable Entity"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        default: "Status"
        }
    }
}
