import Foundation
import HTTP
import Logging
import MCP
import Telemetry
import Tools

/// One MCP server of `TOOLS_FILE`, kept connected: its tools are listed into the ``ToolShelf``
/// when it comes up and again when it says they changed (`notifications/tools/list_changed`),
/// taken off the shelf while it is down, and it is connected again with backoff. Calls to its
/// tools go through ``call(tool:arguments:timeout:)``.
public actor MCPServerConnection: MCPToolCalling {
    public nonisolated let settings: MCPServerSettings
    let shelf: ToolShelf
    let http: HTTPClient
    let logger: Logger
    private var client: Client?
    /// Tells the running connection to list the tools again.
    private var refreshRequests: AsyncStream<Void>.Continuation?

    /// How long connecting and listing may take before the server counts as down.
    static let connectTimeout = Duration.seconds(10)

    public init(settings: MCPServerSettings, shelf: ToolShelf, http: HTTPClient, logger: Logger) {
        self.settings = settings
        self.shelf = shelf
        self.http = http
        var logger = logger
        logger[metadataKey: "mcp_server"] = "\(settings.name)"
        self.logger = logger
    }

    /// Connects and stays connected until cancelled; reconnects after the server goes away.
    /// - Parameter onFirstAttempt: called once, when the first connection succeeded or failed.
    public func run(onFirstAttempt: @escaping @Sendable () -> Void = {}) async {
        var wait = Duration.milliseconds(500)
        var first = true
        while !Task.isCancelled {
            let transport = makeTransport()
            let client = Client(name: "ura", version: "1")
            let (refreshes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            // The SDK calls notification handlers from its reading loop: listing from inside
            // one would wait on that same loop, so the handler only asks.
            await client.onNotification(ToolListChangedNotification.self) { _ in continuation.yield() }
            var connected = false
            do {
                try await connect(client, transport)
                try await listTools(client)
                connected = true
                wait = .milliseconds(500)
                self.client = client
                refreshRequests = continuation
                logger.info("mcp server connected")
            } catch {
                if !Task.isCancelled { logger.warning("mcp server unavailable; retrying", metadata: ["error": "\(error)", "retry_in": "\(wait)"]) }
            }
            if first {
                first = false
                onFirstAttempt()
            }
            if connected {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { for await _ in transport.ended {} }
                    group.addTask { [weak self] in
                        for await _ in refreshes {
                            do { try await self?.listTools(client) } catch { self?.logger.warning("mcp tools not listed again", metadata: ["error": "\(error)"]) }
                        }
                    }
                    await group.next()
                    // Fails a listing still waiting on the gone server, so its child can end.
                    await client.disconnect()
                    group.cancelAll()
                }
                if !Task.isCancelled { logger.warning("mcp server went away; reconnecting") }
            }
            self.client = nil
            refreshRequests = nil
            continuation.finish()
            shelf.replaceTools(of: settings.name, with: [])
            await client.disconnect()
            await transport.disconnect()
            if Task.isCancelled { break }
            try? await Task.sleep(for: wait)
            wait = min(wait * 2, .seconds(30))
        }
    }

    public func call(tool: String, arguments: [String: ToolValue], timeout: Duration) async throws -> MCPToolAnswer {
        guard let client else { throw MCPToolsError.unavailable(server: settings.name) }
        let values = try JSONDecoder().decode([String: Value].self, from: JSONEncoder().encode(arguments))
        let context = try await client.send(CallTool.request(.init(name: tool, arguments: values)))
        // The SDK's waiting request ignores task cancellation; cancelling it by id ends it at
        // once, and telling the server may take no longer than a second (it is stalled).
        let cancel: @Sendable () async -> Void = {
            _ = try? await Self.within(.seconds(1)) { try await client.cancelRequest(context.requestID, reason: "ura stopped waiting") }
        }
        guard let result = try await Self.within(timeout, onTimeout: cancel, { try await context.value }) else {
            throw MCPToolsError.timedOut
        }
        return Self.answer(result)
    }

    /// `operation`, given up after `limit`: nil then. `onTimeout` runs before the operation's
    /// task is awaited, so it can end an operation that ignores cancellation (the SDK's waiting
    /// requests do).
    static func within<T: Sendable>(
        _ limit: Duration, onTimeout: @Sendable () async -> Void = {}, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                await onTimeout()
                return nil
            }
            return result
        }
    }

    static func answer(_ result: CallTool.Result) -> MCPToolAnswer {
        let text = result.content.compactMap { content -> String? in
            if case .text(let text, _, _) = content { return text }
            return nil
        }.joined(separator: "\n")
        if result.isError == true { return .failed(text.isEmpty ? "no reason given" : text) }
        if let structured = result.structuredContent, let data = try? JSONEncoder().encode(structured), let value = try? ToolValue.parse(data) {
            return .succeeded(value, text: text)
        }
        return .succeeded(try? ToolValue.parse(Data(text.utf8)), text: text)
    }

    private func makeTransport() -> any EndingTransport {
        switch settings.transport {
        case .command(let executable, let arguments, let environment):
            CommandTransport(executable: executable, arguments: arguments, environment: environment, logger: logger)
        case .http(let url, let headers):
            StreamableHTTPTransport(
                url: url, headers: headers.map { (name: $0.name, value: $0.value) }, http: http,
                requestTimeout: settings.timeout + .seconds(5), logger: logger)
        }
    }

    /// Connects within ``connectTimeout``: a program that never answers `initialize` is down.
    private func connect(_ client: Client, _ transport: any EndingTransport) async throws {
        try await Self.bounded(client, by: Self.connectTimeout) { try await client.connect(transport: transport) }
    }

    /// `operation` on `client`, given up after `limit`: the SDK's waiting requests ignore task
    /// cancellation, so on the deadline the client is disconnected, which fails them (and ends
    /// this connection: a server that does not answer is treated as gone).
    static func bounded<T: Sendable>(
        _ client: Client, by limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let result = try await within(limit, onTimeout: { await client.disconnect() }, operation) else {
            throw MCPToolsError.timedOut
        }
        return result
    }

    /// Connects once, lists the tools ura would offer, and disconnects (`ura check`).
    /// - Returns: the tools' names, or why the server cannot be used.
    public func probe() async -> Result<[String], any Error> {
        let transport = makeTransport()
        let client = Client(name: "ura", version: "1")
        let result: Result<[String], any Error>
        do {
            try await connect(client, transport)
            result = .success(try await Self.bounded(client, by: Self.connectTimeout) { try await self.offeredTools(client).map(\.name) })
        } catch {
            result = .failure(error)
        }
        await client.disconnect()
        await transport.disconnect()
        return result
    }

    /// Puts the server's tools on the shelf, listed within ``connectTimeout``.
    private func listTools(_ client: Client) async throws {
        let tools = try await Self.bounded(client, by: Self.connectTimeout) { try await self.offeredTools(client) }
        shelf.replaceTools(of: settings.name, with: tools)
        logger.info("mcp tools listed", metadata: ["tools": "\(tools.map(\.name))"])
    }

    /// Lists every page of the server's tools; returns those ura can offer the model.
    private func offeredTools(_ client: Client) async throws -> [BusinessTool] {
        var listed: [Tool] = []
        var cursor: String?
        var cursors: Set<String> = []
        var pages = 0
        repeat {
            let page = try await client.listTools(cursor: cursor)
            listed += page.tools
            pages += 1
            // A server that pages forever (empty pages, or a cursor seen before) is cut off.
            guard let next = page.nextCursor, cursors.insert(next).inserted else { break }
            cursor = next
        } while listed.count < 1000 && pages < 50
        var tools: [BusinessTool] = []
        for tool in listed where settings.allowedTools?.contains(tool.name) ?? true {
            switch MCPToolTranslation.businessTool(tool, of: settings, caller: self) {
            case .success(let businessTool): tools.append(businessTool)
            case .failure(let problem): logger.warning("mcp tool not offered to the model", metadata: ["tool": "\(tool.name)", "problem": "\(problem)"])
            }
        }
        for missing in (settings.allowedTools ?? []).subtracting(listed.map(\.name)).sorted() {
            logger.warning("TOOLS_FILE names a tool the mcp server does not list", metadata: ["tool": "\(missing)"])
        }
        return tools
    }
}

/// Why an MCP tool could not be called.
public enum MCPToolsError: Error, CustomStringConvertible {
    case unavailable(server: String)
    case timedOut

    public var description: String {
        switch self {
        case .unavailable(let server): "the MCP server \(server) is not connected"
        case .timedOut: "timed out"
        }
    }
}
