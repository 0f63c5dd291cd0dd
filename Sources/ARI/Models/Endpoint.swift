/// An endpoint (a SIP peer, for instance) and its channels.
public struct Endpoint: ARIDecodable, Hashable {
    /// E.g. `PJSIP`.
    public var technology: String
    /// The endpoint's name within its technology.
    public var resource: String
    /// `online`, `offline` or `unknown`.
    public var state: String?
    public var channelIDs: [ChannelID]

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Endpoint")
        technology = try object.string("technology")
        resource = try object.string("resource")
        state = try object.optionalString("state")
        channelIDs = try object.strings("channel_ids").map(ChannelID.init(rawValue:))
    }
}
