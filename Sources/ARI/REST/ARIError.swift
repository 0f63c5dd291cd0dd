import HTTP

/// Why an ARI REST call failed.
///
/// Carries the operation (`"channels.answer"` style, after the Swagger nicknames) and, for HTTP
/// errors, the status and Asterisk's own message. No case ever contains the ARI password: it
/// travels in the Authorization header only, and URLs never carry credentials.
public enum ARIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Asterisk answered with an error status. `message` is the `message` member of its JSON body,
    /// `error` the `error` member (sent for allocation failures), `body` the raw text when it was not JSON.
    case http(operation: String, status: Int, message: String?, error: String?, body: String?)
    /// No answer: timeout, refused connection, broken transfer, client shut down.
    case transport(operation: String, HTTPClientError)
    /// Asterisk answered success with a body this client cannot read.
    case decoding(operation: String, ARIDecodingError)

    /// The HTTP status, for ``http(operation:status:message:error:body:)``.
    public var status: Int? {
        if case .http(_, let status, _, _, _) = self { status } else { nil }
    }

    /// Asterisk's explanation, for ``http(operation:status:message:error:body:)``.
    public var message: String? {
        if case .http(_, _, let message, let error, _) = self { message ?? error } else { nil }
    }

    /// The operation that failed.
    public var operation: String {
        switch self {
        case .http(let operation, _, _, _, _), .transport(let operation, _), .decoding(let operation, _): operation
        }
    }

    /// 404: the channel, bridge, playback or recording does not exist (any more).
    public var isNotFound: Bool { status == 404 }

    /// The status' meaning in ARI, for messages.
    public static func meaning(ofStatus status: Int) -> String {
        switch status {
        case 400: "bad or missing parameter"
        case 401: "authentication failed"
        case 403: "forbidden (read-only user or ACL)"
        case 404: "not found"
        case 409: "conflict (channel not in a Stasis application, or id in use)"
        case 412: "channel in the wrong state"
        case 422: "unprocessable (unknown format or entity, channel not in Stasis)"
        case 500: "Asterisk internal error"
        case 501: "not implemented (unsupported combination)"
        case 503: "Asterisk not ready"
        default: "HTTP \(status)"
        }
    }

    /// One line for logs; never contains credentials.
    public var description: String {
        switch self {
        case .http(let operation, let status, let message, let error, let body):
            let detail = message ?? error ?? body.map { String($0.prefix(200)) } ?? ""
            return "ARI \(operation) failed: \(status) \(Self.meaning(ofStatus: status))" + (detail.isEmpty ? "" : ": \(detail)")
        case .transport(let operation, let error):
            return "ARI \(operation) failed: \(error)"
        case .decoding(let operation, let error):
            return "ARI \(operation) answered with an unreadable body: \(error)"
        }
    }
}
