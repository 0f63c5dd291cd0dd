import Foundation
import Hummingbird

/// An error answer of the operator API: an HTTP status with `{"error":{"code":…,"message":…}}`.
///
/// ``code`` is a stable word clients may switch on; ``message`` is for humans and never carries
/// data the caller was not allowed to see.
public struct OperatorAPIError: HTTPResponseError, Equatable {
    /// The HTTP status of the answer.
    public let status: HTTPResponse.Status
    /// A stable word naming the error (`call_not_found`, `invalid_request`, …).
    public let code: String
    /// What went wrong, for a human.
    public let message: String
    /// The methods the path accepts, sent as `Allow` with a 405.
    var allow: String?
    /// Seconds after which a refused request may be tried again, sent as `Retry-After`.
    var retryAfterSeconds: Int?

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = OperatorJSON.response(status: status, ErrorBody(error: .init(code: code, message: message)))
        if status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        if let allow {
            response.headers[.allow] = allow
        }
        if let retryAfterSeconds {
            response.headers[.retryAfter] = String(retryAfterSeconds)
        }
        return response
    }

    /// The JSON shape of every error answer.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public struct Detail: Codable, Sendable, Equatable {
            public var code: String
            public var message: String
        }

        public var error: Detail
    }
}

extension OperatorAPIError {
    static let unauthorized = OperatorAPIError(status: .unauthorized, code: "unauthorized", message: "missing or wrong bearer token")

    static let loopbackOnly = OperatorAPIError(
        status: .forbidden, code: "forbidden", message: "without OPERATOR_TOKEN only clients on 127.0.0.1 or ::1 may use this API")

    static func tooManyEventStreams(limit: Int) -> OperatorAPIError {
        var error = OperatorAPIError(
            status: .serviceUnavailable, code: "too_many_event_streams", message: "\(limit) event streams are open already; close one first")
        error.retryAfterSeconds = 5
        return error
    }

    static func rateLimited(retryAfterSeconds: Int) -> OperatorAPIError {
        var error = OperatorAPIError(
            status: .tooManyRequests, code: "rate_limited", message: "too many calls placed; try again in \(retryAfterSeconds) s")
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    static func invalidRequest(_ message: String) -> OperatorAPIError {
        OperatorAPIError(status: .badRequest, code: "invalid_request", message: message)
    }

    static func invalidParameter(_ name: String, _ problem: String) -> OperatorAPIError {
        OperatorAPIError(status: .badRequest, code: "invalid_parameter", message: "query parameter \"\(name)\" \(problem)")
    }

    static func callNotFound(_ id: String) -> OperatorAPIError {
        OperatorAPIError(status: .notFound, code: "call_not_found", message: "no call with id \"\(id)\"")
    }

    static func recordingNotFound(_ id: String, _ problem: String) -> OperatorAPIError {
        OperatorAPIError(status: .notFound, code: "recording_not_found", message: "call \"\(id)\" \(problem)")
    }

    static func callEnded(_ id: String) -> OperatorAPIError {
        OperatorAPIError(status: .conflict, code: "call_ended", message: "call \"\(id)\" has already ended")
    }

    /// The answer for a ``CallControlError``.
    init(_ error: CallControlError) {
        switch error {
        case .unknownCall(let id): self = .callNotFound(id)
        case .invalid(let reason): self.init(status: .badRequest, code: "invalid_request", message: reason)
        case .unavailable(let reason): self.init(status: .serviceUnavailable, code: "unavailable", message: reason)
        case .failed(let reason): self.init(status: .badGateway, code: "call_control_failed", message: reason)
        case .elsewhere(let reason): self.init(status: .conflict, code: "call_elsewhere", message: reason)
        }
    }
}
