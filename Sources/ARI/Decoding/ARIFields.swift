import Foundation

/// Reads the members of one ARI JSON object for a generated model's `init(from:)`, with the
/// tolerance Asterisk's output needs and errors that name the model and the member.
///
/// `null` counts as absent. Integers are accepted when written as whole doubles or strings of
/// digits, booleans as `0`/`1` or `"yes"`/`"no"`, numbers as strings: Asterisk's modules are not
/// consistent, and a type quibble is no reason to lose an event. A required member that is
/// missing, or a member of the wrong kind, throws ``ARIDecodingError``.
struct ARIFields {
    private let container: KeyedDecodingContainer<ARIKey>
    let model: String

    /// - Throws: ``ARIDecodingError/unexpectedType(model:expected:)`` when the value is not a JSON object.
    init(_ decoder: any Decoder, model: String) throws(ARIDecodingError) {
        do {
            container = try decoder.container(keyedBy: ARIKey.self)
        } catch {
            throw .unexpectedType(model: model, expected: "a JSON object")
        }
        self.model = model
    }

    // MARK: The three ways a member can be declared

    /// A member that must be there.
    func required<Value: Decodable>(_ key: String) throws(ARIDecodingError) -> Value {
        guard let value: Value = try optional(key) else { throw .missingField(model: model, field: key) }
        return value
    }

    /// A member that may be absent.
    func optional<Value: Decodable>(_ key: String) throws(ARIDecodingError) -> Value? {
        let key = ARIKey(key)
        do {
            switch Value.self {
            case is String.Type: return try container.decodeIfPresent(String.self, forKey: key) as? Value
            case is Int.Type: return try integer(key) as? Value
            case is Double.Type: return try number(key) as? Value
            case is Bool.Type: return try flag(key) as? Value
            case is Date.Type: return try date(key) as? Value
            case is [String: String].Type: return try stringMap(key) as? Value
            default: return try container.decodeIfPresent(Value.self, forKey: key)
            }
        } catch let error as ARIDecodingError {
            throw error
        } catch {
            throw .invalidField(model: model, field: key.stringValue, expected: Self.expectation(Value.self))
        }
    }

    /// A member the spec requires that real Asterisk sometimes leaves out: absent reads as empty.
    func lenient<Value: Decodable & ARIEmptiable>(_ key: String) throws(ARIDecodingError) -> Value {
        try optional(key) ?? Value.empty
    }

    // MARK: Tolerant scalars

    private func integer(_ key: ARIKey) throws -> Int? {
        do {
            return try container.decodeIfPresent(Int.self, forKey: key)
        } catch {
            if let number = try? container.decode(Double.self, forKey: key), number.rounded() == number,
               let whole = Int(exactly: number) {
                return whole
            }
            if let text = try? container.decode(String.self, forKey: key), let whole = Int(text) { return whole }
            throw error
        }
    }

    private func number(_ key: ARIKey) throws -> Double? {
        do {
            return try container.decodeIfPresent(Double.self, forKey: key)
        } catch {
            if let text = try? container.decode(String.self, forKey: key), let number = Double(text) { return number }
            throw error
        }
    }

    private func flag(_ key: ARIKey) throws -> Bool? {
        do {
            return try container.decodeIfPresent(Bool.self, forKey: key)
        } catch {
            if let number = try? container.decode(Int.self, forKey: key) { return number != 0 }
            switch (try? container.decode(String.self, forKey: key))?.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw error
            }
        }
    }

    private func date(_ key: ARIKey) throws -> Date? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = ARITimestamp.parse(text) else {
            throw ARIDecodingError.invalidField(model: model, field: key.stringValue, expected: "an ARI timestamp")
        }
        return date
    }

    /// A `{"NAME": "value"}` map: other scalars become their JSON text and nested values are
    /// skipped, since a variable dump is informational and must not cost the whole message.
    private func stringMap(_ key: ARIKey) throws -> [String: String]? {
        guard let members = try container.decodeIfPresent([String: JSONValue].self, forKey: key) else { return nil }
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        for (name, member) in members {
            switch member {
            case .string(let text): result[name] = text
            case .integer, .number, .bool: result[name] = member.jsonText
            case .null, .array, .object: continue
            }
        }
        return result
    }

    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [String: String].Type: "an object"
        case is [String].Type: "an array of strings"
        default: "a \(type)"
        }
    }
}

/// A member name of an ARI object.
struct ARIKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A value that has an empty form for members real Asterisk omits (see ``ARIFields/lenient(_:)``).
protocol ARIEmptiable {
    static var empty: Self { get }
}

extension String: ARIEmptiable {
    static var empty: String { "" }
}

extension Array: ARIEmptiable {
    static var empty: [Element] { [] }
}

extension JSONValue: ARIEmptiable {
    static var empty: JSONValue { .object([:]) }
}
