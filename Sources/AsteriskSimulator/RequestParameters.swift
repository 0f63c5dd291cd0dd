/// ARI request parameters from the query string and, when `Content-Type` is
/// `application/json`, from the keys of a JSON body (which win), typed the way Asterisk's
/// generated `*_parse_body` functions read them. The endpoints simulated here take only
/// string and list parameters, so no integer or boolean readers exist.
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

    /// A multi-value parameter: one comma-separated query value or a JSON array of strings.
    func list(_ name: String) -> [String]? {
        if let value = body?[name] {
            if let array = value.arrayValue { return array.compactMap(\.stringValue) }
            return value.stringValue.map { $0.split(separator: ",").map(String.init) }
        }
        return query.last { $0.name == name }?.value.split(separator: ",").map(String.init)
    }

    /// The `variables` body object as name → value; nil when a value is not a string (a 400 in Asterisk).
    /// The 22.10 form `{"NAME":{"value":"v"}}` is accepted too.
    var variables: [(String, String)]? {
        guard case .object(let members)? = body?["variables"] else { return [] }
        var result: [(String, String)] = []
        for (name, value) in members {
            if let text = value.stringValue {
                result.append((name, text))
            } else if let text = value["value"]?.stringValue {
                result.append((name, text))
            } else {
                return nil
            }
        }
        return result
    }
}
