import Hummingbird

/// Without a bearer token, answers only peers on a literal loopback address.
///
/// ura lets an operator skip `OPERATOR_TOKEN` when the API listens on `127.0.0.1` or `::1`; this
/// checks every request's TCP peer as well, so the exemption holds even if the server is bound
/// wider (a dual-stack `::`, a wildcard). Only the kernel's peer address counts: a `Host` or
/// `X-Forwarded-For` header, a `localhost` name or an IPv4-mapped `::ffff:127.0.0.1` do not.
struct LoopbackOnlyMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    /// The peer addresses that may use the API without a token.
    static let loopbackAddresses: Set<String> = ["127.0.0.1", "::1"]

    private let openPaths: Set<String>

    init(openPaths: Set<String>) { self.openPaths = openPaths }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard openPaths.contains(request.uri.path) || Self.isLoopback(peer: context.peerAddress) else {
            throw OperatorAPIError.loopbackOnly
        }
        return try await next(request, context)
    }

    static func isLoopback(peer: String?) -> Bool {
        peer.map(loopbackAddresses.contains) ?? false
    }
}
