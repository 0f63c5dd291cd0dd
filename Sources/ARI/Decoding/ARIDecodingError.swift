/// Why an ARI message (event or REST response body) could not be decoded.
///
/// Every malformed input ends here; decoding never traps on external data.
public enum ARIDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not JSON; `reason` is the parser's.
    case malformedJSON(reason: String)
    /// The document (or a nested value) is JSON of another kind than expected, such as an array for an object.
    case unexpectedType(model: String, expected: String)
    /// An event without a string `type`.
    case missingType
    /// A required member is absent or `null`.
    case missingField(model: String, field: String)
    /// A member has a value of the wrong kind (for example a string where a number belongs, or an unreadable timestamp).
    case invalidField(model: String, field: String, expected: String)

    /// One line for logs: the model, the member and what was wrong.
    public var description: String {
        switch self {
        case .malformedJSON(let reason): "malformed JSON: \(reason)"
        case .unexpectedType(let model, let expected): "\(model): expected \(expected)"
        case .missingType: "ARI message without a string \"type\""
        case .missingField(let model, let field): "\(model): required field \"\(field)\" is missing"
        case .invalidField(let model, let field, let expected): "\(model): field \"\(field)\" is not \(expected)"
        }
    }
}
