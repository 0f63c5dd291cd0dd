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
    ///   authentication off (only allowed by the configuration on a loopback address).
    public static func router(_ dependencies: OperatorDependencies, token: String?) -> Router<BasicRequestContext> {
        // A first router only to learn the routes, which the error middleware needs before they are added.
        let probe = Router(context: BasicRequestContext.self)
        addRoutes(to: probe, dependencies)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(routes: RouteTable(probe.routes)))
        if let token {
            router.add(middleware: BearerTokenMiddleware(token: token, openPaths: openPaths))
        }
        addRoutes(to: router, dependencies)
        return router
    }

    private static func addRoutes(to router: Router<BasicRequestContext>, _ dependencies: OperatorDependencies) {
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
