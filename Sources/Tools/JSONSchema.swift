import Foundation

/// The part of JSON Schema a tool's parameters use: what the model is shown, and what its
/// arguments are checked against before any request goes out.
///
/// A model's arguments are hostile input (a caller can talk a model into anything), so anything
/// the schema does not allow is refused: unknown properties, wrong types, values outside `enum`,
/// `minimum`/`maximum`, `minLength`/`maxLength` or `pattern`. Strings are capped at
/// ``defaultMaximumLength`` unless the schema says otherwise.
public indirect enum JSONSchema: Sendable, Equatable {
    case object(properties: [String: JSONSchema], required: [String], description: String?)
    case array(items: JSONSchema, maxItems: Int?, description: String?)
    case string(StringRules, description: String?)
    case number(minimum: Double?, maximum: Double?, integer: Bool, description: String?)
    case boolean(description: String?)

    /// Limits on a string value.
    public struct StringRules: Sendable, Equatable {
        public var allowed: [String]?
        public var minLength: Int?
        public var maxLength: Int?
        /// A regular expression the whole value must match.
        public var pattern: String?

        public init(allowed: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) {
            self.allowed = allowed
            self.minLength = minLength
            self.maxLength = maxLength
            self.pattern = pattern
        }
    }

    /// Longest string argument accepted when the schema sets no `maxLength`.
    public static let defaultMaximumLength = 500
    /// Most array items accepted when the schema sets no `maxItems`.
    public static let defaultMaximumItems = 50

    /// Keywords that describe but do not constrain (MCP servers' generated schemas carry them):
    /// accepted and ignored.
    static let annotations: Set<String> = ["title", "default", "examples", "$schema", "$id", "$comment", "format", "deprecated", "readOnly"]

    /// Reads a schema written as YAML/JSON; returns the problems (with the path they are at) instead of throwing.
    public static func parse(_ value: Any, at path: String = "parameters") -> Result<JSONSchema, SchemaProblem> {
        guard let object = value as? [String: Any] else { return .failure(.init(path: path, problem: "is not a mapping")) }
        let known: Set<String> = ["type", "description", "properties", "required", "items", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "maxItems", "additionalProperties"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) && !annotations.contains($0) }) {
            return .failure(.init(path: path, problem: "has \(unknown), which ura does not support (type, description, properties, required, items, enum, minimum, maximum, minLength, maxLength, pattern, maxItems)"))
        }
        let description = object["description"] as? String
        switch object["type"] as? String {
        case "object":
            var properties: [String: JSONSchema] = [:]
            for (name, child) in (object["properties"] as? [String: Any]) ?? [:] {
                guard name.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,63}$"#, options: .regularExpression) != nil else {
                    return .failure(.init(path: "\(path).properties", problem: "\"\(name)\" is not a name (letters, digits, _)"))
                }
                switch parse(child, at: "\(path).properties.\(name)") {
                case .success(let schema): properties[name] = schema
                case .failure(let problem): return .failure(problem)
                }
            }
            let required = (object["required"] as? [Any])?.compactMap { $0 as? String } ?? []
            if let missing = required.first(where: { properties[$0] == nil }) {
                return .failure(.init(path: "\(path).required", problem: "names \(missing), which is not a property"))
            }
            if let additional = object["additionalProperties"] as? Bool, additional {
                return .failure(.init(path: path, problem: "additionalProperties: true is not supported: every argument must be declared"))
            }
            return .success(.object(properties: properties, required: required, description: description))
        case "array":
            guard let items = object["items"] else { return .failure(.init(path: path, problem: "type array needs items")) }
            switch parse(items, at: "\(path).items") {
            case .success(let schema): return .success(.array(items: schema, maxItems: object["maxItems"] as? Int, description: description))
            case .failure(let problem): return .failure(problem)
            }
        case "string":
            var rules = StringRules()
            if let values = object["enum"] {
                guard let list = values as? [Any], !list.isEmpty else { return .failure(.init(path: "\(path).enum", problem: "is not a list of strings")) }
                rules.allowed = list.map { "\($0)" }
            }
            rules.minLength = object["minLength"] as? Int
            rules.maxLength = object["maxLength"] as? Int
            if let pattern = object["pattern"] as? String {
                guard (try? Regex(pattern)) != nil else { return .failure(.init(path: "\(path).pattern", problem: "is not a regular expression")) }
                rules.pattern = pattern
            }
            return .success(.string(rules, description: description))
        case "number", "integer":
            return .success(.number(
                minimum: Self.double(object["minimum"]), maximum: Self.double(object["maximum"]), integer: object["type"] as? String == "integer",
                description: description))
        case "boolean":
            return .success(.boolean(description: description))
        case let other:
            return .failure(.init(path: "\(path).type", problem: "is \(other.map { "\"\($0)\"" } ?? "missing"); use object, array, string, number, integer or boolean"))
        }
    }

    private static func double(_ value: Any?) -> Double? {
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        return nil
    }

    /// Why `value` does not fit, naming the argument, or nil when it does.
    public func problem(with value: ToolValue, at path: String = "arguments") -> String? {
        switch (self, value) {
        case (.object(let properties, let required, _), .object(let object)):
            if let unknown = object.keys.sorted().first(where: { properties[$0] == nil }) { return "\(path) has \(unknown), which the tool does not take" }
            if let missing = required.first(where: { object[$0] == nil || object[$0] == .null }) { return "\(path).\(missing) is missing" }
            for (name, child) in object.sorted(by: { $0.key < $1.key }) where child != .null {
                if let problem = properties[name]?.problem(with: child, at: "\(path).\(name)") { return problem }
            }
            return nil
        case (.array(let items, let maxItems, _), .array(let array)):
            if array.count > (maxItems ?? Self.defaultMaximumItems) { return "\(path) has more than \(maxItems ?? Self.defaultMaximumItems) items" }
            for (index, item) in array.enumerated() {
                if let problem = items.problem(with: item, at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case (.string(let rules, _), .string(let text)):
            if let allowed = rules.allowed, !allowed.contains(text) { return "\(path) must be one of \(allowed.joined(separator: ", "))" }
            if text.count > (rules.maxLength ?? Self.defaultMaximumLength) { return "\(path) is longer than \(rules.maxLength ?? Self.defaultMaximumLength) characters" }
            if let minimum = rules.minLength, text.count < minimum { return "\(path) is shorter than \(minimum) characters" }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "\(path) has control characters" }
            if let pattern = rules.pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: text)) == nil {
                return "\(path) does not match \(pattern)"
            }
            return nil
        case (.number(let minimum, let maximum, let integer, _), .number(let number)):
            guard number.isFinite else { return "\(path) is not a finite number" }
            if integer, number.rounded() != number { return "\(path) is not a whole number" }
            if let minimum, number < minimum { return "\(path) is below \(minimum)" }
            if let maximum, number > maximum { return "\(path) is above \(maximum)" }
            return nil
        case (.boolean, .bool):
            return nil
        case (.object, _): return "\(path) is not an object"
        case (.array, _): return "\(path) is not a list"
        case (.string, _): return "\(path) is not a string"
        case (.number, _): return "\(path) is not a number"
        case (.boolean, _): return "\(path) is not true or false"
        }
    }
}

/// A schema that cannot be used, and where in it.
public struct SchemaProblem: Error, Equatable, Sendable {
    public var path: String
    public var problem: String
}

extension JSONSchema: Encodable {
    private enum Keys: String, CodingKey {
        case type, description, properties, required, items, maxItems, minimum, maximum, minLength, maxLength, pattern, additionalProperties
        case allowed = "enum"
    }

    /// As the model is shown it (the `parameters` of a chat completions tool).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .object(let properties, let required, let description):
            try container.encode("object", forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encode(properties, forKey: .properties)
            try container.encode(required, forKey: .required)
            try container.encode(false, forKey: .additionalProperties)
        case .array(let items, let maxItems, let description):
            try container.encode("array", forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encode(items, forKey: .items)
            try container.encodeIfPresent(maxItems, forKey: .maxItems)
        case .string(let rules, let description):
            try container.encode("string", forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(rules.allowed, forKey: .allowed)
            try container.encodeIfPresent(rules.minLength, forKey: .minLength)
            try container.encodeIfPresent(rules.maxLength, forKey: .maxLength)
            try container.encodeIfPresent(rules.pattern, forKey: .pattern)
        case .number(let minimum, let maximum, let integer, let description):
            try container.encode(integer ? "integer" : "number", forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
        case .boolean(let description):
            try container.encode("boolean", forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
        }
    }
}
