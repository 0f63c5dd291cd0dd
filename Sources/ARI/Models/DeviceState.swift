/// The state of a device (`NOT_INUSE`, `INUSE`, `RINGING`, …), kept as Asterisk's text.
public struct DeviceState: ARIDecodable, Hashable {
    public var name: String
    public var state: String

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "DeviceState")
        name = try object.string("name")
        state = try object.string("state")
    }
}
