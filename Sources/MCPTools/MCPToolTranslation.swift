import Foundation
import MCP
import Tools

/// An MCP server's tool as a ``BusinessTool``: its input schema must be one ura can check
/// arguments against, its name one the model may call and not one of ura's own.
enum MCPToolTranslation {
    static func businessTool(_ tool: Tool, of server: MCPServerSettings, caller: any MCPToolCalling) -> Result<BusinessTool, MCPToolProblem> {
        guard BusinessTool.isValidName(tool.name) else { return .failure(.init("its name is not letters, digits, _ and - (at most 64)")) }
        guard !BusinessTool.reservedNames.contains(tool.name) else { return .failure(.init("its name is one of ura's own tools")) }
        var schema = capDescriptions(plain(tool.inputSchema))
        // Servers often omit `properties` for a tool without arguments.
        if var object = schema as? [String: Any], object["type"] as? String == "object", object["properties"] == nil {
            object["properties"] = [String: Any]()
            schema = object
        }
        let parameters: JSONSchema
        switch JSONSchema.parse(schema, at: "inputSchema") {
        case .success(let parsed):
            guard case .object = parsed else { return .failure(.init("inputSchema is not an object schema")) }
            parameters = parsed
        case .failure(let problem):
            return .failure(.init("\(problem.path) \(problem.problem)"))
        }
        let description = tool.description ?? tool.title ?? tool.name
        return .success(BusinessTool(
            name: tool.name, description: String(description.prefix(1000)), parameters: parameters,
            action: .mcp(MCPToolAction(server: server.name, tool: tool.name, caller: caller)), timeout: server.timeout,
            filler: server.filler))
    }

    /// The schema with every `description` cut to 300 characters: they go into the model's
    /// prompt, and a server's text is not ura's to let grow without bound.
    static func capDescriptions(_ value: Any) -> Any {
        if var object = value as? [String: Any] {
            for (key, member) in object {
                object[key] = key == "description" ? (member as? String).map { String($0.prefix(300)) } ?? member : capDescriptions(member)
            }
            return object
        }
        if let array = value as? [Any] { return array.map(capDescriptions) }
        return value
    }

    /// The value as JSONSerialization would give it (what ``JSONSchema/parse(_:at:)`` reads).
    static func plain(_ value: Value) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let bool): bool
        case .int(let int): int
        case .double(let double): double
        case .string(let string): string
        case .data(_, let data): data.base64EncodedString()
        case .array(let items): items.map(plain)
        case .object(let members): members.mapValues(plain)
        }
    }
}

struct MCPToolProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
