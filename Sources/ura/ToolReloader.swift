import Logging
import ServiceLifecycle
import Settings
import Tools
import UnixSignals

/// Reloads `TOOLS_FILE` on SIGHUP (with the flows). A file that fails to load leaves the tools
/// as they were and the reason is logged; a turn in progress keeps the tools it started with.
struct ToolReloader: Service {
    let shelf: ToolShelf
    let configuration: Configuration
    /// Read again at each reload: a secret changed there is picked up.
    let envFile: String
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            reload()
        }
    }

    func reload() {
        do {
            guard let catalog = try configuration.loadTools(envFile: envFile) else { return }
            shelf.replace(with: catalog)
            logger.info("tools reloaded", metadata: ["tools": "\(catalog.tools.map(\.name))"])
        } catch {
            logger.error("tools not reloaded; the previous ones stay", metadata: ["problem": "\(error)"])
        }
    }
}
