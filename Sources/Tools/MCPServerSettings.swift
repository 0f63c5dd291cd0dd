import Foundation

/// An MCP server of `TOOLS_FILE` whose tools the model may call.
///
/// ```yaml
/// mcp_servers:
///   - name: clinic
///     command: [/usr/local/bin/clinic-mcp, --stdio]
///     env: { CLINIC_API_KEY: "${CLINIC_API_KEY}" }
///     tools: [next_free_slot, book_appointment]
///   - name: crm
///     url: https://crm.example.com/mcp
///     headers: { Authorization: "Bearer ${CRM_TOKEN}" }
///     timeout_ms: 3000
/// ```
public struct MCPServerSettings: Sendable, Equatable {
    /// How ura reaches the server.
    public enum Transport: Sendable, Equatable {
        /// A program ura starts and talks to over its standard input and output.
        case command(executable: String, arguments: [String], environment: [String: String])
        /// A server already running, spoken to over MCP's streamable HTTP.
        case http(url: URL, headers: [HTTPToolAction.Header])
    }

    public var name: String
    public var transport: Transport
    /// How long one tool call may take.
    public var timeout: Duration
    /// The only tools of the server the model sees; nil: all of them.
    public var allowedTools: Set<String>?
    /// What the caller hears while one of its tools runs, by language family.
    public var filler: [String: String]

    public init(
        name: String, transport: Transport, timeout: Duration = .seconds(5), allowedTools: Set<String>? = nil, filler: [String: String] = [:]
    ) {
        self.name = name
        self.transport = transport
        self.timeout = timeout
        self.allowedTools = allowedTools
        self.filler = filler
    }
}
