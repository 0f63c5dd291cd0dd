import Hummingbird

/// Caps how fast calls can be placed (`POST /v1/calls`): beyond the bucket, 429 with `Retry-After`.
///
/// Every originate request counts, well-formed or not, so a client that floods the route learns
/// nothing and costs nothing; other routes are not limited. It runs after authentication, so
/// requests without the token cannot use up the bucket of those with it.
struct OriginateRateLimitMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let bucket: TokenBucket

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, Self.isOriginate(path: request.uri.path), let wait = bucket.take() {
            throw OperatorAPIError.rateLimited(retryAfterSeconds: wait)
        }
        return try await next(request, context)
    }

    /// `/v1/calls`, however many slashes separate or end it (the router ignores empty segments).
    static func isOriginate(path: String) -> Bool {
        path.split(separator: "/") == ["v1", "calls"]
    }
}
