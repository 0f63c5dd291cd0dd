import HTTP

/// A tool of the business's: what the model is told, and how it is carried out (an HTTP request
/// of `TOOLS_FILE`, or a tool of an MCP server).
public struct BusinessTool: Sendable, Equatable {
    /// How the tool is carried out.
    public enum Action: Sendable, Equatable {
        case http(HTTPToolAction)
        case mcp(MCPToolAction)
    }

    public var name: String
    public var description: String
    /// Always an object schema: the tool's named arguments.
    public var parameters: JSONSchema
    public var action: Action
    public var timeout: Duration
    /// Dotted paths of the answer's fields the model gets back (`slot.start`); empty: the whole answer.
    public var resultFields: [String]
    /// What the caller hears while a slow tool runs, by language family (`en`, `pt`); the
    /// built-in line for a language not given.
    public var filler: [String: String]

    public init(
        name: String, description: String, parameters: JSONSchema, action: Action, timeout: Duration, resultFields: [String] = [],
        filler: [String: String] = [:]
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.action = action
        self.timeout = timeout
        self.resultFields = resultFields
        self.filler = filler
    }

    /// The line said while the tool runs, in the call's language.
    public func fillerLine(language: String) -> String {
        let family = language.lowercased().hasPrefix("pt") ? "pt" : "en"
        return filler[family] ?? Self.defaultFiller[family]!
    }

    static let defaultFiller = ["en": "One moment, please.", "pt": "Um momento, por favor."]

    /// Arguments given as text (a flow's templates) with the types the schema asks for: a
    /// number where it wants one and the text reads as one, and so on; anything else stays
    /// text, for the schema check to refuse.
    public func arguments(fromText texts: [String: String]) -> ToolValue {
        guard case .object(let properties, _, _) = parameters else { return .object([:]) }
        return .object(texts.reduce(into: [:]) { values, pair in
            let (name, text) = pair
            switch properties[name] {
            case .number?: values[name] = Double(text).map(ToolValue.number) ?? .string(text)
            case .boolean?: values[name] = ["true", "false"].contains(text) ? .bool(text == "true") : .string(text)
            default: values[name] = .string(text)
            }
        })
    }

    /// Names the model may not give a business tool: ura's own call-control tools.
    public static let reservedNames: Set<String> = ["transfer_call", "end_call", "send_dtmf"]

    /// Whether `name` can be a tool's: what OpenAI-compatible servers accept as a function name.
    public static func isValidName(_ name: String) -> Bool {
        name.range(of: #"^[A-Za-z0-9_-]{1,64}$"#, options: .regularExpression) != nil
    }
}

/// The HTTP request that carries out a tool of `TOOLS_FILE`.
public struct HTTPToolAction: Sendable, Equatable {
    public struct Header: Sendable, Equatable {
        public var name: String
        /// With `${ENV}` secrets already filled in; never logged.
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: HTTPRequest.Method
    public var url: URLTemplate
    public var headers: [Header]
    public var body: BodyTemplate?
    /// Tries after the first when the service fails (timeouts, connection errors, 5xx, 429).
    public var retries: Int
}

/// A tool of an MCP server, called through the connection that listed it.
public struct MCPToolAction: Sendable, Equatable {
    /// The server's name in `TOOLS_FILE`.
    public var server: String
    /// The tool's name on that server.
    public var tool: String
    public var caller: any MCPToolCalling

    public init(server: String, tool: String, caller: any MCPToolCalling) {
        self.server = server
        self.tool = tool
        self.caller = caller
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.server == rhs.server && lhs.tool == rhs.tool }
}

/// Calls tools on an MCP server (the MCPTools module's connections).
public protocol MCPToolCalling: Sendable {
    /// Calls `tool` with arguments already checked against its schema, giving up after `timeout`.
    /// - Returns: what the tool answered; its `isError` answers come back as ``MCPToolAnswer/failed``.
    /// - Throws: when the server cannot be reached or does not answer in time.
    func call(tool: String, arguments: [String: ToolValue], timeout: Duration) async throws -> MCPToolAnswer
}

/// An MCP tool's answer, as ura uses it.
public enum MCPToolAnswer: Sendable, Equatable {
    /// Its structured content, or its text content parsed as JSON when it is JSON, else the text.
    case succeeded(ToolValue?, text: String)
    /// The tool ran and reported an error (`isError`), in its words.
    case failed(String)
}
