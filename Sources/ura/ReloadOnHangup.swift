import ServiceLifecycle
import UnixSignals

/// Runs each reload, in order, every time ura gets SIGHUP (`kill -HUP`, `systemctl reload`).
struct ReloadOnHangup: Service {
    let reloads: [@Sendable () -> Void]

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            for reload in reloads { reload() }
        }
    }
}
