import Hummingbird
import Logging

/// Turns every error a route or the router throws into the API's JSON error shape.
///
/// Hummingbird's own errors (unknown path, wrong method, body too large) keep their status but
/// get a stable code; anything unexpected becomes a 500 whose message says nothing about the
/// cause, which is logged instead.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OperatorAPIError {
            throw error
        } catch let error as HTTPError {
            throw Self.translate(error)
        } catch {
            context.logger.error("operator API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw OperatorAPIError(status: .internalServerError, code: "internal", message: "internal error; see ura's log")
        }
    }

    static func translate(_ error: HTTPError) -> OperatorAPIError {
        let code: String
        let message: String
        switch error.status {
        case .notFound: (code, message) = ("not_found", "no such route")
        case .methodNotAllowed: (code, message) = ("method_not_allowed", "method not allowed on this route")
        case .contentTooLarge: (code, message) = ("payload_too_large", "request body is too large")
        case .badRequest: (code, message) = ("invalid_request", error.body ?? "bad request")
        default: (code, message) = ("http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        }
        return OperatorAPIError(status: error.status, code: code, message: message)
    }
}
