import Logging
import Settings
import Tools

/// Reloads `TOOLS_FILE` (on SIGHUP, through ``ReloadOnHangup``) (with the flows); its MCP servers stay those started with ura. A file that fails to load leaves the tools
/// as they were and the reason is logged; a turn in progress keeps the tools it started with.
struct ToolReloader: Sendable {
    let shelf: ToolShelf
    let configuration: Configuration
    /// Read again at each reload: a secret changed there is picked up.
    let envFile: String
    let logger: Logger

    func reload() {
        do {
            guard var catalog = try configuration.loadTools(envFile: envFile) else { return }
            let running = shelf.catalog.mcpServers
            if catalog.mcpServers != running {
                // Programs and sessions started at start stay as they are until a restart.
                logger.warning("TOOLS_FILE's mcp_servers changed; that takes effect when ura restarts")
                catalog.mcpServers = running
            }
            shelf.replace(with: catalog)
            logger.info("tools reloaded", metadata: ["tools": "\(catalog.tools.map(\.name))"])
        } catch {
            logger.error("tools not reloaded; the previous ones stay", metadata: ["problem": "\(error)"])
        }
    }
}
