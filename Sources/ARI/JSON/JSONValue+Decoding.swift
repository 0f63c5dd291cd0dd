import Foundation

extension JSONValue: Decodable {
    /// Deep enough for any ARI document; deeper input is refused rather than walked recursively.
    static let maximumDepth = 128

    public init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count <= Self.maximumDepth else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "nested deeper than \(Self.maximumDepth) levels"))
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            let members = try container.decode([String: JSONValue].self)
            var object = JSONObject(reservingCapacity: members.count)
            for (key, value) in members.sorted(by: { $0.key < $1.key }) { object.append(key: key, value: value) }
            self = .object(object)
        }
    }

    /// Parses one JSON document.
    ///
    /// Objects come back with their members sorted by name (Foundation's decoder does not keep
    /// document order); nesting deeper than ``maximumDepth`` is refused.
    /// - Throws: ``ARIDecodingError/malformedJSON(reason:)`` for text that is not JSON.
    public static func parse(_ data: Data) throws(ARIDecodingError) -> JSONValue {
        try ARIJSON.decode(JSONValue.self, from: data)
    }
}
