import Hummingbird

/// Builds the operator API's router: middleware, then every route.
///
/// The routes registered here are exactly those ``OpenAPIDocument`` describes; a test holds
/// the two together.
public enum OperatorRoutes {
    /// Paths reachable without a token.
    static let openPaths: Set<String> = ["/health/live"]

    /// The router of the operator API.
    /// - Parameter token: the bearer token every route but liveness demands; nil turns
    ///   authentication off for peers on 127.0.0.1 and ::1 and refuses every other peer.
    public static func router(_ dependencies: OperatorDependencies, token: String?) -> Router<OperatorRequestContext> {
        // A first router only to learn the routes, which the error middleware needs before they are added.
        let probe = Router(context: OperatorRequestContext.self)
        addRoutes(to: probe, dependencies)
        let router = Router(context: OperatorRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(routes: RouteTable(probe.routes)))
        if let token {
            router.add(middleware: BearerTokenMiddleware(token: token, openPaths: openPaths))
        } else {
            router.add(middleware: LoopbackOnlyMiddleware(openPaths: openPaths))
        }
        let limits = dependencies.limits
        router.add(
            middleware: OriginateRateLimitMiddleware(
                bucket: TokenBucket(capacity: limits.originateBurst, perSecond: Double(limits.originatesPerMinute) / 60)))
        addRoutes(to: router, dependencies)
        return router
    }

    private static func addRoutes(to router: Router<OperatorRequestContext>, _ dependencies: OperatorDependencies) {
        HealthController(readiness: dependencies.readiness).register(on: router)
        CallsController(dependencies: dependencies).register(on: router)
        EventsController(dependencies: dependencies).register(on: router)
        MetricsController(registry: dependencies.metrics).register(on: router)
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
