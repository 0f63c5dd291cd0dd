import Logging
import Settings
import Tools

/// Reloads `TOOLS_FILE` (on SIGHUP, through ``ReloadOnHangup``) (with the flows). A file that fails to load leaves the tools
/// as they were and the reason is logged; a turn in progress keeps the tools it started with.
struct ToolReloader: Sendable {
    let shelf: ToolShelf
    let configuration: Configuration
    /// Read again at each reload: a secret changed there is picked up.
    let envFile: String
    let logger: Logger

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
