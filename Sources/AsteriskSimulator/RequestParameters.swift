/// ARI request parameters from the query string and, when `Content-Type` is
/// `application/json`, from the keys of a JSON body (which win), typed the way Asterisk's
/// generated `*_parse_body` functions read them.
struct RequestParameters: Sendable {
    private let query: [(name: String, value: String)]
    private let body: JSON?

    /// Why a body could not be used.
    struct BadBody: Error {}

    init(request: HTTPServerRequest) throws(BadBody) {
        query = request.query
        let contentType = request.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/json", !request.body.isEmpty else {
            body = nil
            return
        }
        do {
            body = try JSONParser.parse(request.body)
        } catch {
            throw BadBody()
        }
    }

    /// A string parameter; a JSON value that is not a string counts as absent (`ast_json_string_get`).
    func string(_ name: String) -> String? {
        if let value = body?[name] { return value.stringValue }
        return query.last { $0.name == name }?.value
    }

    /// An integer parameter: JSON numbers only (a JSON string reads as 0), query text as `atoi`.
    func integer(_ name: String) -> Int? {
        if let value = body?[name] {
            if case .number(let number) = value { return Int(number) }
            return 0
        }
        guard let text = query.last(where: { $0.name == name })?.value else { return nil }
        return Int(text.prefix { $0.isNumber || $0 == "-" }) ?? 0
    }

    /// A boolean: JSON `true`/`false` only, in the query yes/true/1/on (`ast_true`).
    func boolean(_ name: String) -> Bool? {
        if let value = body?[name] { if case .bool(let flag) = value { return flag } else { return false } }
        guard let text = query.last(where: { $0.name == name })?.value else { return nil }
        return ["yes", "true", "y", "t", "1", "on"].contains(text.lowercased())
    }

    /// A multi-value parameter: one comma-separated query value or a JSON array of strings.
    func list(_ name: String) -> [String]? {
        if let value = body?[name] {
            if let array = value.arrayValue { return array.compactMap(\.stringValue) }
            return value.stringValue.map { $0.split(separator: ",").map(String.init) }
        }
        return query.last { $0.name == name }?.value.split(separator: ",").map(String.init)
    }

    /// The `variables` object of a body, if any.
    var variables: JSON? { body?["variables"] }
}
