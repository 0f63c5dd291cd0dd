import HTTP

/// A tool of the business's (`TOOLS_FILE`): what the model is told, and the HTTP request that
/// carries it out.
public struct BusinessTool: Sendable, Equatable {
    public struct Header: Sendable, Equatable {
        public var name: String
        /// With `${ENV}` secrets already filled in; never logged.
        public var value: String
    }

    public var name: String
    public var description: String
    /// Always an object schema: the tool's named arguments.
    public var parameters: JSONSchema
    public var method: HTTPRequest.Method
    public var url: URLTemplate
    public var headers: [Header]
    public var body: BodyTemplate?
    public var timeout: Duration
    /// Tries after the first when the service fails (timeouts, connection errors, 5xx, 429).
    public var retries: Int
    /// Dotted paths of the answer's fields the model gets back (`slot.start`); empty: the whole answer.
    public var resultFields: [String]
    /// What the caller hears while a slow request runs, by language family (`en`, `pt`); the
    /// built-in line for a language not given.
    public var filler: [String: String]

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
}
