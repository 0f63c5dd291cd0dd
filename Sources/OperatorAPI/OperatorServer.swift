import Hummingbird
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// The operator API's HTTP server: a `Service` for ura's service group.
///
/// ``run()`` binds `host:port` (port 0 picks a free one), tells ``onListening`` the bound port,
/// and serves until graceful shutdown or cancellation. Graceful shutdown ends the live event
/// streams (through ``CallEventHub/finish()``) and lets other requests in flight finish. Put it last in
/// the service group: it reads from everything else.
public struct OperatorServer: Service {
    private let host: String
    private let port: Int
    private let token: String?
    private let tls: OperatorTLS?
    private let dependencies: OperatorDependencies
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - host: address to listen on (`OPERATOR_LISTEN`).
    ///   - token: bearer token (`OPERATOR_TOKEN`); nil only on loopback.
    ///   - tls: certificate and key to serve HTTPS with; nil serves plain HTTP.
    ///   - onListening: called once with the bound port.
    public init(
        host: String, port: Int, token: String?, tls: OperatorTLS? = nil, dependencies: OperatorDependencies,
        logger: Logger = Logger(label: "ura.operator"), onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.tls = tls
        self.dependencies = dependencies
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let router = OperatorRoutes.router(dependencies, token: token)
        let port = self.port
        let onListening = self.onListening
        let logger = self.logger
        let application = Application(
            router: router,
            server: try tls.map { try .tls(.http1(), tlsConfiguration: try $0.serverConfiguration()) } ?? .http1(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ura"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("operator API listening", metadata: ["port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger)
        let events = dependencies.events
        // Graceful shutdown lets requests in flight finish, and an event stream never finishes on
        // its own: ending the hub's subscriptions first lets each stream close and the server stop.
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            events.finish()
        }
    }
}
