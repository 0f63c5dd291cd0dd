import Synchronization

/// The business tools calls use now: `TOOLS_FILE`'s, replaced as a whole on SIGHUP, and each
/// MCP server's, replaced whenever it lists them again. Read once per turn, so a turn never
/// sees half of a change.
public final class ToolShelf: Sendable {
    private struct Contents {
        var configured: ToolCatalog
        /// By server name, in the order the server lists them.
        var discovered: [String: [BusinessTool]] = [:]
    }

    private let contents: Mutex<Contents>

    public init(_ catalog: ToolCatalog = ToolCatalog()) { contents = Mutex(Contents(configured: catalog)) }

    /// `TOOLS_FILE`'s tools, then those of its MCP servers (in the file's order) whose names are
    /// not taken already.
    public var catalog: ToolCatalog {
        contents.withLock { contents in
            var catalog = contents.configured
            for server in contents.configured.mcpServers {
                for tool in contents.discovered[server.name] ?? [] where catalog.tool(named: tool.name) == nil {
                    catalog.tools.append(tool)
                }
            }
            return catalog
        }
    }

    /// Replaces `TOOLS_FILE`'s part; MCP servers' tools stay as last listed.
    public func replace(with catalog: ToolCatalog) { contents.withLock { $0.configured = catalog } }

    /// Replaces the tools `server` offers (an empty list while it is unreachable).
    public func replaceTools(of server: String, with tools: [BusinessTool]) { contents.withLock { $0.discovered[server] = tools } }
}
