/// A caller id: name and number as Asterisk has them (either may be empty).
public struct CallerID: ARIDecodable, Hashable {
    public var name: String
    public var number: String

    /// A caller id from its parts.
    public init(name: String, number: String) {
        self.name = name
        self.number = number
    }

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "CallerID")
        name = try object.lenientString("name")
        number = try object.lenientString("number")
    }
}
