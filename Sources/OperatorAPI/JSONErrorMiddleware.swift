import Hummingbird
import Logging

/// Turns every error a route or the router throws into the API's JSON error shape.
///
/// Hummingbird's own errors (unknown path, body too large) keep their status but get a stable
/// code, and a known path asked with a method it lacks is a 405 with `Allow`; anything unexpected becomes a 500 whose message says nothing about the
/// cause, which is logged instead.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OperatorAPIError {
            throw error
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw Self.translate(status: .notFound, message: nil) }
            var methodError = Self.translate(status: .methodNotAllowed, message: nil)
            methodError.allow = allowed.joined(separator: ", ")
            throw methodError
        } catch let error as HTTPError {
            throw Self.translate(status: error.status, message: error.body)
        } catch let error as any HTTPResponseError {
            // Errors hummingbird and NIO know the status of (a body over the size limit is 413).
            throw Self.translate(status: error.status, message: nil)
        } catch {
            context.logger.error("operator API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw OperatorAPIError(status: .internalServerError, code: "internal", message: "internal error; see ura's log")
        }
    }

    static func translate(status: HTTPResponse.Status, message: String?) -> OperatorAPIError {
        switch status {
        case .notFound: OperatorAPIError(status: status, code: "not_found", message: "no such route")
        case .methodNotAllowed: OperatorAPIError(status: status, code: "method_not_allowed", message: "method not allowed on this route")
        case .contentTooLarge: OperatorAPIError(status: status, code: "payload_too_large", message: "request body is too large")
        case .badRequest: OperatorAPIError(status: status, code: "invalid_request", message: message ?? "bad request")
        default: OperatorAPIError(status: status, code: "http_error", message: message ?? status.reasonPhrase)
        }
    }
}
