import Foundation

/// Typed, error-reporting access to the members of one JSON object, for the `ARIDecodable` initialisers.
///
/// `null` counts as absent. Numbers are accepted when written as strings of digits too, and
/// whole-valued doubles as integers: Asterisk modules are not consistent, and a type quibble is
/// no reason to lose an event.
struct JSONObjectReader {
    let model: String
    let members: JSONObject

    init(_ value: JSONValue, model: String) throws(ARIDecodingError) {
        guard case .object(let members) = value else { throw .unexpectedType(model: model, expected: "a JSON object") }
        self.model = model
        self.members = members
    }

    init(members: JSONObject, model: String) {
        self.model = model
        self.members = members
    }

    private func present(_ key: String) -> JSONValue? {
        switch members[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    private func required(_ key: String) throws(ARIDecodingError) -> JSONValue {
        guard let value = present(key) else { throw .missingField(model: model, field: key) }
        return value
    }

    private func invalid(_ key: String, _ expected: String) -> ARIDecodingError {
        .invalidField(model: model, field: key, expected: expected)
    }

    // MARK: strings

    func string(_ key: String) throws(ARIDecodingError) -> String {
        guard case .string(let text) = try required(key) else { throw invalid(key, "a string") }
        return text
    }

    func optionalString(_ key: String) throws(ARIDecodingError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw invalid(key, "a string") }
        return text
    }

    /// A string member that older or odd senders omit; absent reads as "".
    func lenientString(_ key: String) throws(ARIDecodingError) -> String {
        try optionalString(key) ?? ""
    }

    func strings(_ key: String) throws(ARIDecodingError) -> [String] {
        guard case .array(let elements) = try required(key) else { throw invalid(key, "an array of strings") }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { throw invalid(key, "an array of strings") }
            result.append(text)
        }
        return result
    }

    /// A `{"NAME": "value"}` map; non-string scalars become their JSON text and nested values are skipped,
    /// since a variable dump is informational and must not cost the whole message.
    func optionalStringMap(_ key: String) throws(ARIDecodingError) -> [String: String]? {
        guard let value = present(key) else { return nil }
        guard case .object(let object) = value else { throw invalid(key, "an object") }
        var result: [String: String] = [:]
        result.reserveCapacity(object.count)
        for (name, member) in object {
            switch member {
            case .string(let text): result[name] = text
            case .integer, .number, .bool: result[name] = member.jsonText
            case .null, .array, .object: continue
            }
        }
        return result
    }

    // MARK: numbers and booleans

    func int(_ key: String) throws(ARIDecodingError) -> Int {
        guard let number = Self.integer(try required(key)) else { throw invalid(key, "an integer") }
        return number
    }

    func optionalInt(_ key: String) throws(ARIDecodingError) -> Int? {
        guard let value = present(key) else { return nil }
        guard let number = Self.integer(value) else { throw invalid(key, "an integer") }
        return number
    }

    private static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .integer(let number): number
        case .number(let number): number.rounded() == number ? Int(exactly: number) : nil
        case .string(let text): Int(text)
        default: nil
        }
    }

    func optionalDouble(_ key: String) throws(ARIDecodingError) -> Double? {
        switch present(key) {
        case nil: return nil
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        case .string(let text)?: if let number = Double(text) { return number }
        default: break
        }
        throw invalid(key, "a number")
    }

    func bool(_ key: String) throws(ARIDecodingError) -> Bool {
        guard let flag = try optionalBool(key) else { throw .missingField(model: model, field: key) }
        return flag
    }

    func optionalBool(_ key: String) throws(ARIDecodingError) -> Bool? {
        switch present(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case .integer(let number)?: return number != 0
        case .string(let text)? where ["true", "yes", "1", "on"].contains(text.lowercased()): return true
        case .string(let text)? where ["false", "no", "0", "off"].contains(text.lowercased()): return false
        default: throw invalid(key, "a boolean")
        }
    }

    // MARK: dates

    func date(_ key: String) throws(ARIDecodingError) -> Date {
        guard let date = try optionalDate(key) else { throw .missingField(model: model, field: key) }
        return date
    }

    func optionalDate(_ key: String) throws(ARIDecodingError) -> Date? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value, let date = ARITimestamp.parse(text) else {
            throw invalid(key, "an ARI timestamp")
        }
        return date
    }

    // MARK: nested values

    func model<Model: ARIDecodable>(_ key: String, as type: Model.Type = Model.self) throws(ARIDecodingError) -> Model {
        try Model(json: required(key))
    }

    func optionalModel<Model: ARIDecodable>(_ key: String, as type: Model.Type = Model.self) throws(ARIDecodingError) -> Model? {
        guard let value = present(key) else { return nil }
        return try Model(json: value)
    }

    func models<Model: ARIDecodable>(_ key: String, as type: Model.Type = Model.self) throws(ARIDecodingError) -> [Model] {
        guard case .array(let elements) = try required(key) else { throw invalid(key, "an array") }
        var result: [Model] = []
        result.reserveCapacity(elements.count)
        for element in elements { result.append(try Model(json: element)) }
        return result
    }

    func optionalModels<Model: ARIDecodable>(_ key: String, as type: Model.Type = Model.self) throws(ARIDecodingError) -> [Model]? {
        guard present(key) != nil else { return nil }
        return try models(key)
    }

    /// A member kept as raw JSON (user event bodies, event filters).
    func value(_ key: String) throws(ARIDecodingError) -> JSONValue {
        try required(key)
    }

    func optionalValue(_ key: String) -> JSONValue? {
        present(key)
    }
}

extension Array: ARIDecodable where Element: ARIDecodable {
    /// Decodes a JSON array whose every element is an `Element` (list responses such as `GET /channels`).
    public init(json: JSONValue) throws(ARIDecodingError) {
        guard case .array(let elements) = json else { throw .unexpectedType(model: "List[\(Element.self)]", expected: "a JSON array") }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements { result.append(try Element(json: element)) }
        self = result
    }
}
