import Foundation

/// A JSON value: a tool's arguments as the model sent them, a template's values, a service's answer.
///
/// Decoded with `JSONDecoder` rather than `JSONSerialization`, which on Linux cannot tell `true`
/// from `1`: the schema check must.
public enum ToolValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ToolValue])
    case object([String: ToolValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ToolValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ToolValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers as integers: `7`, not `7.0`, in URLs and bodies.
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> ToolValue { try JSONDecoder().decode(ToolValue.self, from: data) }

    /// Converts what Yams loads (String, Int, Double, Bool, arrays, mappings, nil).
    public init(yaml value: Any?) {
        switch value {
        case nil, is NSNull: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .number(Double(value))
        case let value as Double: self = .number(value)
        case let value as String: self = .string(value)
        case let value as [Any]: self = .array(value.map { ToolValue(yaml: $0) })
        case let value as [String: Any]: self = .object(value.mapValues { ToolValue(yaml: $0) })
        default: self = .string("\(value!)")
        }
    }

    /// The text a value takes in a URL or a string template.
    public var text: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .number: (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? ""
        case .string(let value): value
        case .array, .object: (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? ""
        }
    }

    /// The value at a dotted path (`slot.start`, `slots.0.doctor`), or nil.
    public func value(at path: String) -> ToolValue? {
        var current = self
        for key in path.split(separator: ".").map(String.init) {
            switch current {
            case .object(let members):
                guard let next = members[key] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
