/// The answer to `GET /asterisk/ping`: proof that Asterisk is up, and which instance answered.
public struct AsteriskPing: ARIDecodable, Hashable {
    /// `pong`.
    public var ping: String
    /// The Asterisk instance's id (its entity id, a MAC-like string).
    public var asteriskID: String
    /// When Asterisk answered, in its own time; kept as text because the swagger declares it a string.
    public var timestamp: String

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "AsteriskPing")
        ping = try object.string("ping")
        asteriskID = try object.string("asterisk_id")
        timestamp = try object.string("timestamp")
    }
}
