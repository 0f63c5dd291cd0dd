/// The value of one channel, bridge or global variable (`GET .../variable`).
public struct Variable: ARIDecodable, Hashable {
    public var value: String

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Variable")
        // An unset variable reads as an empty value.
        value = try object.lenientString("value")
    }
}
