import Foundation
import Testing
@testable import Tools

/// Arguments are hostile: they may fill values, never move a request elsewhere or past the schema.
@Suite struct TemplateAndSchemaTests {
    @Test(arguments: [
        "../../admin", "x?admin=1", "a#frag", "a&b=c", "evil.example/path", "%2e%2e", "a b", "@evil.example", "ção",
    ])
    func anArgumentStaysOneValueOfItsPlace(value: String) throws {
        let template = try URLTemplate("https://clinic.example.com:8443/api/patients/{id}/slots?day={day}")
        let url = try #require(template.render(["id": .string(value), "day": .string(value)]))
        #expect(url.host == "clinic.example.com" && url.port == 8443)
        #expect(url.path.hasPrefix("/api/patients/") && url.path.hasSuffix("/slots"))
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(components.queryItems?.map(\.name) == ["day"])
        #expect(components.queryItems?.first?.value == value, "the service gets the value back intact")
        #expect(url.fragment == nil)
    }

    @Test func numbersAndBooleansFillTemplatesAsJSONDoes() throws {
        let template = try URLTemplate("https://x.example/{n}/{b}")
        #expect(template.render(["n": .number(7), "b": .bool(true)])?.absoluteString == "https://x.example/7/true")
    }

    static let schema = try! JSONSchema.parse([
        "type": "object",
        "properties": [
            "name": ["type": "string", "maxLength": 20],
            "size": ["type": "integer", "minimum": 1, "maximum": 4],
            "kind": ["type": "string", "enum": ["a", "b"]],
            "ok": ["type": "boolean"],
            "tags": ["type": "array", "items": ["type": "string"], "maxItems": 2],
        ] as [String: Any],
        "required": ["name"],
    ] as [String: Any]).get()

    @Test(arguments: [
        (#"{"name":"Ana","size":2,"kind":"a","ok":true,"tags":["x"]}"#, nil),
        (#"{"size":2}"#, "arguments.name is missing"),
        (#"{"name":"Ana","admin":true}"#, "arguments has admin, which the tool does not take"),
        (#"{"name":"Ana","size":2.5}"#, "arguments.size is not a whole number"),
        (#"{"name":"Ana","size":9}"#, "arguments.size is above 4.0"),
        (#"{"name":"Ana","size":"2"}"#, "arguments.size is not a number"),
        (#"{"name":"Ana","ok":1}"#, "arguments.ok is not true or false"),
        (#"{"name":"Ana","size":true}"#, "arguments.size is not a number"),
        (#"{"name":"Ana","kind":"c"}"#, "arguments.kind must be one of a, b"),
        (#"{"name":"a very long name that goes on"}"#, "arguments.name is longer than 20 characters"),
        (#"{"name":"Ana\u0000"}"#, "arguments.name has control characters"),
        (#"{"name":"Ana","tags":["a","b","c"]}"#, "arguments.tags has more than 2 items"),
        (#"["name"]"#, "arguments is not an object"),
    ] as [(String, String?)])
    func argumentsAreCheckedAgainstTheSchema(arguments: String, problem: String?) throws {
        let value = try ToolValue.parse(Data(arguments.utf8))
        #expect(Self.schema.problem(with: value) == problem)
    }

    @Test func theModelSeesTheSchemaClosed() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.schema)) as? [String: Any]
        #expect(json?["additionalProperties"] as? Bool == false)
        #expect((json?["properties"] as? [String: Any])?.count == 5)
    }
}
