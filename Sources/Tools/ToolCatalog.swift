import Foundation
import HTTP
import Yams

/// The tools of `TOOLS_FILE`, loaded and checked as a whole: one bad tool stops `ura serve`
/// with `file:line:column: problem` (and a SIGHUP reload keeps the previous catalog).
///
/// ```yaml
/// tools:
///   - name: next_free_slot
///     description: The next free appointment of a specialty.
///     parameters:
///       type: object
///       properties:
///         specialty: { type: string, enum: [cardiology, dermatology] }
///       required: [specialty]
///     http:
///       method: GET
///       url: https://clinic.example.com/api/slots?specialty={specialty}
///       headers: { Authorization: "Bearer ${CLINIC_API_KEY}" }
///       timeout_ms: 3000
///       retries: 1
///     result: [slot.start, slot.doctor]
///     filler: { en: "Let me check the calendar.", pt: "Vou ver a agenda." }
///
/// mcp_servers:            # tools of MCP servers (MCPServerSettings)
///   - name: clinic
///     command: [/usr/local/bin/clinic-mcp]
/// ```
public struct ToolCatalog: Sendable, Equatable {
    public var tools: [BusinessTool]
    /// The MCP servers whose tools join these once listed (``ToolShelf``).
    public var mcpServers: [MCPServerSettings]

    public init(tools: [BusinessTool] = [], mcpServers: [MCPServerSettings] = []) {
        self.tools = tools
        self.mcpServers = mcpServers
    }

    public func tool(named name: String) -> BusinessTool? { tools.first { $0.name == name } }

    /// Loads `path`; `environment` fills `${NAME}` secrets.
    public static func load(path: String, environment: [String: String]) throws(ToolLoadError) -> ToolCatalog {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ToolLoadError(file: path, problems: ["1:1: cannot be read: \(error.localizedDescription)"])
        }
        return try parse(text, file: path, environment: environment)
    }

    public static func parse(_ text: String, file: String, environment: [String: String]) throws(ToolLoadError) -> ToolCatalog {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ToolLoadError(file: file, problems: ["\(error)"])
        }
        var parser = ToolParser(environment: environment)
        let catalog = parser.catalog(root)
        guard parser.problems.isEmpty else { throw ToolLoadError(file: file, problems: parser.problems) }
        return catalog
    }
}

/// Why `TOOLS_FILE` cannot be used: each problem as `line:column: what`.
public struct ToolLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [String]

    public var description: String {
        let first = problems.first.map { "\(file):\($0)" } ?? file
        return problems.count > 1 ? "\(first) (and \(problems.count - 1) more problems in that file)" : first
    }
}

/// Walks the composed YAML, collecting every problem with its position.
struct ToolParser {
    let environment: [String: String]
    private(set) var problems: [String] = []

    init(environment: [String: String]) { self.environment = environment }

    mutating func catalog(_ root: Node?) -> ToolCatalog {
        guard let root, let mapping = root.mapping, mapping["tools"] != nil || mapping["mcp_servers"] != nil else {
            report(root, "has no tools: (a list of tools) and no mcp_servers:")
            return ToolCatalog()
        }
        for key in mapping.keys.compactMap(\.string) where !["tools", "mcp_servers"].contains(key) {
            report(mapping.keys.first { $0.string == key }, "\(key): not a section of a tools file (tools, mcp_servers)")
        }
        var catalog = ToolCatalog()
        if let tools = mapping["tools"] {
            guard let entries = tools.sequence else {
                report(tools, "tools: is not a list")
                return ToolCatalog()
            }
            for entry in entries {
                guard let tool = tool(entry) else { continue }
                if catalog.tool(named: tool.name) != nil {
                    report(entry, "tool \(tool.name) is defined twice")
                } else {
                    catalog.tools.append(tool)
                }
            }
        }
        if let servers = mapping["mcp_servers"] {
            guard let entries = servers.sequence else {
                report(servers, "mcp_servers: is not a list")
                return catalog
            }
            for entry in entries {
                guard let server = mcpServer(entry) else { continue }
                if catalog.mcpServers.contains(where: { $0.name == server.name }) {
                    report(entry, "mcp server \(server.name) is defined twice")
                } else {
                    catalog.mcpServers.append(server)
                }
            }
        }
        return catalog
    }

    private mutating func mcpServer(_ node: Node) -> MCPServerSettings? {
        guard let mapping = node.mapping else {
            report(node, "an MCP server is a mapping with name and command or url")
            return nil
        }
        let allowed: Set<String> = ["name", "command", "env", "url", "headers", "timeout_ms", "tools", "filler"]
        for key in mapping.keys.compactMap(\.string) where !allowed.contains(key) {
            report(mapping.keys.first { $0.string == key }, "\(key): not an MCP server setting (\(allowed.sorted().joined(separator: ", ")))")
        }
        guard let name = mapping["name"]?.string, BusinessTool.isValidName(name) else {
            report(mapping["name"] ?? node, "name: letters, digits, _ and -, at most 64")
            return nil
        }
        let transport: MCPServerSettings.Transport
        switch (mapping["command"], mapping["url"]) {
        case (let command?, nil):
            let words = command.sequence?.compactMap(\.string) ?? command.string.map { [$0] } ?? []
            guard let executable = words.first, !executable.isEmpty, words.count == (command.sequence?.count ?? 1) else {
                report(command, "mcp server \(name): command: the program and its arguments, as a list")
                return nil
            }
            var environment: [String: String] = [:]
            for (key, value) in mapping["env"]?.mapping ?? [:] {
                guard let variable = key.string, variable.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil,
                      let text = value.string
                else {
                    report(key, "mcp server \(name): env: NAME: value")
                    continue
                }
                environment[variable] = secrets(text, at: value)
            }
            transport = .command(executable: executable, arguments: Array(words.dropFirst()), environment: environment)
        case (nil, let urlNode?):
            guard let text = urlNode.string.map({ secrets($0, at: urlNode) }), let url = URL(string: text),
                  ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false
            else {
                report(urlNode, "mcp server \(name): url: an http or https address")
                return nil
            }
            if mapping["env"] != nil { report(mapping["env"], "mcp server \(name): env: only for a command") }
            transport = .http(url: url, headers: headers(mapping["headers"], of: "mcp server \(name)"))
        default:
            report(node, "mcp server \(name): give either command (a program ura starts) or url (a server over HTTP)")
            return nil
        }
        let timeout = mapping["timeout_ms"]?.int ?? 5000
        if !(100...60_000).contains(timeout) { report(mapping["timeout_ms"], "mcp server \(name): timeout_ms: 100 to 60000") }
        var allowedTools: Set<String>?
        if let node = mapping["tools"] {
            if let list = node.sequence?.compactMap(\.string), list.count == node.sequence?.count {
                allowedTools = Set(list)
            } else {
                report(node, "mcp server \(name): tools: a list of the server's tool names")
            }
        }
        return MCPServerSettings(
            name: name, transport: transport, timeout: .milliseconds(timeout), allowedTools: allowedTools,
            filler: filler(mapping["filler"], of: "mcp server \(name)"))
    }

    private mutating func headers(_ node: Node?, of owner: String) -> [HTTPToolAction.Header] {
        var headers: [HTTPToolAction.Header] = []
        for (key, value) in node?.mapping ?? [:] {
            guard let headerName = key.string, headerName.range(of: #"^[A-Za-z0-9-]+$"#, options: .regularExpression) != nil,
                  let text = value.string, !text.contains("\r"), !text.contains("\n")
            else {
                report(key, "\(owner): headers: a header is Name: value on one line")
                continue
            }
            headers.append(.init(name: headerName, value: secrets(text, at: value)))
        }
        return headers
    }

    private mutating func filler(_ node: Node?, of owner: String) -> [String: String] {
        var filler: [String: String] = [:]
        for (key, value) in node?.mapping ?? [:] {
            guard let language = key.string, ["en", "pt"].contains(language), let text = value.string, !text.isEmpty else {
                report(key, "\(owner): filler: en and pt lines")
                continue
            }
            filler[language] = text
        }
        return filler
    }

    private mutating func tool(_ node: Node) -> BusinessTool? {
        guard let mapping = node.mapping else {
            report(node, "a tool is a mapping with name, description, parameters, http")
            return nil
        }
        let allowed: Set<String> = ["name", "description", "parameters", "http", "result", "filler"]
        for key in mapping.keys.compactMap(\.string) where !allowed.contains(key) {
            report(mapping.keys.first { $0.string == key }, "\(key): not a tool setting (name, description, parameters, http, result, filler)")
        }
        guard let name = mapping["name"]?.string, BusinessTool.isValidName(name) else {
            report(mapping["name"] ?? node, "name: letters, digits, _ and -, at most 64")
            return nil
        }
        if BusinessTool.reservedNames.contains(name) { report(mapping["name"], "name: \(name) is one of ura's own tools") }
        guard let description = mapping["description"]?.string, !description.isEmpty else {
            report(mapping["description"] ?? node, "tool \(name): description: say what it does, for the model")
            return nil
        }
        var parameters = JSONSchema.object(properties: [:], required: [], description: nil)
        if let node = mapping["parameters"] {
            switch JSONSchema.parse(Self.plain(node)) {
            case .success(let schema):
                guard case .object = schema else {
                    report(node, "tool \(name): parameters: type must be object")
                    return nil
                }
                parameters = schema
            case .failure(let problem):
                report(node, "tool \(name): \(problem.path) \(problem.problem)")
                return nil
            }
        }
        guard case .object(let properties, _, _) = parameters else { return nil }
        guard let http = mapping["http"]?.mapping else {
            report(mapping["http"] ?? node, "tool \(name): http: the request (method, url) is missing")
            return nil
        }
        for key in http.keys.compactMap(\.string) where !["method", "url", "headers", "body", "timeout_ms", "retries"].contains(key) {
            report(http.keys.first { $0.string == key }, "tool \(name): http.\(key): not a request setting (method, url, headers, body, timeout_ms, retries)")
        }
        let methodText = (http["method"]?.string ?? "GET").uppercased()
        guard let method = HTTPRequest.Method(rawValue: methodText) else {
            report(http["method"], "tool \(name): http.method: \(methodText) is not GET, POST, PUT, PATCH or DELETE")
            return nil
        }
        guard let urlNode = http["url"], let urlText = urlNode.string else {
            report(node, "tool \(name): http.url is missing")
            return nil
        }
        let url: URLTemplate
        do {
            url = try URLTemplate(secrets(urlText, at: urlNode))
        } catch {
            report(urlNode, "tool \(name): http.url \(error)")
            return nil
        }
        let headers = headers(http["headers"], of: "tool \(name): http")
        var body: BodyTemplate?
        if let node = http["body"] {
            do {
                body = try BodyTemplate(secretsFilled(ToolValue(yaml: Self.plain(node)), at: node))
            } catch {
                report(node, "tool \(name): http.body \(error)")
            }
        }
        for argument in url.arguments + (body?.arguments ?? []) where properties[argument] == nil {
            report(urlNode, "tool \(name): {\(argument)} is not one of its parameters")
        }
        let timeout = http["timeout_ms"]?.int ?? 5000
        if !(100...60_000).contains(timeout) { report(http["timeout_ms"], "tool \(name): http.timeout_ms: 100 to 60000") }
        let retries = http["retries"]?.int ?? 1
        if !(0...5).contains(retries) { report(http["retries"], "tool \(name): http.retries: 0 to 5") }
        var resultFields: [String] = []
        if let node = mapping["result"] {
            if let list = node.sequence?.compactMap(\.string), list.count == node.sequence?.count {
                resultFields = list
            } else {
                report(node, "tool \(name): result: a list of field paths (slot.start)")
            }
        }
        let action = HTTPToolAction(method: method, url: url, headers: headers, body: body, retries: retries)
        return BusinessTool(
            name: name, description: description, parameters: parameters, action: .http(action), timeout: .milliseconds(timeout),
            resultFields: resultFields, filler: filler(mapping["filler"], of: "tool \(name)"))
    }

    /// `${NAME}` filled from the environment (secrets stay out of the file).
    private mutating func secrets(_ text: String, at node: Node) -> String {
        var result = text
        for match in text.matches(of: /\$\{([A-Z_][A-Z0-9_]*)\}/) {
            let name = String(match.output.1)
            guard let value = environment[name] else {
                report(node, "uses ${\(name)}, which is not set in the environment")
                continue
            }
            result = result.replacingOccurrences(of: "${\(name)}", with: value)
        }
        return result
    }

    private mutating func secretsFilled(_ value: ToolValue, at node: Node) -> ToolValue {
        switch value {
        case .string(let text): return .string(secrets(text, at: node))
        case .array(let items): return .array(items.map { secretsFilled($0, at: node) })
        case .object(let members): return .object(members.mapValues { secretsFilled($0, at: node) })
        default: return value
        }
    }

    private mutating func report(_ node: Node?, _ problem: String) {
        let line = node?.mark?.line ?? 1
        let column = node?.mark?.column ?? 1
        problems.append("\(line):\(column): \(problem)")
    }

    /// The node as Yams would load it (String, Int, Double, Bool, arrays, mappings).
    static func plain(_ node: Node) -> Any {
        switch node {
        case .scalar:
            if let bool = node.bool, ["true", "false"].contains(node.string?.lowercased() ?? "") { return bool }
            if let int = node.int { return int }
            if let double = node.float { return double }
            return node.string ?? ""
        case .sequence(let sequence): return sequence.map(plain)
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for (key, value) in mapping { if let key = key.string { result[key] = plain(value) } }
            return result
        case .alias: return node.string ?? ""
        }
    }
}
