import Hummingbird
import HummingbirdCore
import Logging

/// A hummingbird application on an ephemeral port of 127.0.0.1, running until its task is
/// cancelled: what every loopback server of the tests (and the simulated Asterisk) is built on.
package struct LoopbackApplication: Sendable {
    /// The port it listens on.
    package let port: Int
    /// Runs the application; cancelling it stops the server and closes its connections.
    package let task: Task<Void, Never>

    /// Starts serving; returns once the port is bound.
    /// - Throws: ``LoopbackHTTPServerError/didNotStart`` if it could not listen.
    package static func start<Responder: HTTPResponder>(
        responder: Responder, server: HTTPServerBuilder, serverName: String? = nil, label: String
    ) async throws -> LoopbackApplication where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let application = Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: serverName),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let task = Task {
            try? await application.runService(gracefulShutdownSignals: [])
            portContinuation.finish()
        }
        guard let port = await ports.first(where: { _ in true }), port > 0 else {
            task.cancel()
            throw LoopbackHTTPServerError.didNotStart
        }
        return LoopbackApplication(port: port, task: task)
    }
}
