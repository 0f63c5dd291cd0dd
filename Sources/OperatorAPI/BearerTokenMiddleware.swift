import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`; liveness is exempt.
///
/// The comparison takes the same time whatever the given token is, so response times tell an
/// attacker nothing about how much of a guess was right. A refusal is always the same 401
/// answer, before any route runs, so it reveals nothing about calls or even which paths exist.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: [UInt8]
    private let openPaths: Set<String>

    init(token: String, openPaths: Set<String>) {
        self.expected = Array(token.utf8)
        self.openPaths = openPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], Self.matches(header: header, expected: expected) else {
            throw OperatorAPIError.unauthorized
        }
        return try await next(request, context)
    }

    static func matches(header: String, expected: [UInt8]) -> Bool {
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else { return false }
        return constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), expected)
    }

    /// Compares every byte of the longer input, whatever the first difference.
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: given.count ^ expected.count)
        for index in 0..<max(given.count, expected.count) {
            let left = index < given.count ? given[index] : 0
            let right = index < expected.count ? expected[index] : 0
            difference |= left ^ right
        }
        return difference == 0 && given.count == expected.count
    }
}
