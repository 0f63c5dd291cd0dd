import HTTP
import Logging
import ServiceLifecycle
import Synchronization
import Tools

/// The MCP servers of `TOOLS_FILE`, each kept connected (``MCPServerConnection``) while ura
/// runs, their tools on the ``ToolShelf`` calls read. A service: it stops (closing stdio
/// servers' programs and HTTP sessions) on graceful shutdown.
public struct MCPToolbox: Service {
    public let connections: [MCPServerConnection]
    /// Called once every server has been tried once (listed or found unavailable): when the
    /// tools calls will see are known.
    let onFirstListing: @Sendable () -> Void

    public init(
        servers: [MCPServerSettings], shelf: ToolShelf, http: HTTPClient, logger: Logger = Logger(label: "ura.mcp"),
        onFirstListing: @escaping @Sendable () -> Void = {}
    ) {
        connections = servers.map { MCPServerConnection(settings: $0, shelf: shelf, http: http, logger: logger) }
        self.onFirstListing = onFirstListing
    }

    public func run() async throws {
        let remaining = Countdown(connections.count)
        let onFirstListing = onFirstListing
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for connection in connections {
                    group.addTask {
                        await connection.run {
                            if remaining.tick() { onFirstListing() }
                        }
                    }
                }
            }
        }
    }
}

/// Counts down to zero from several tasks.
private final class Countdown: Sendable {
    private let remaining: Mutex<Int>

    init(_ count: Int) { remaining = Mutex(count) }

    /// - Returns: true for the tick that reaches zero.
    func tick() -> Bool {
        remaining.withLock { count in
            count -= 1
            return count == 0
        }
    }
}
