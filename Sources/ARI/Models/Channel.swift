import Foundation

/// A snapshot of an Asterisk channel, as events and REST responses carry it.
///
/// A snapshot is not live: the channel may have changed or gone since. ``channelvars`` holds the
/// variables Asterisk attached (for externalMedia responses, `UNICASTRTP_LOCAL_ADDRESS` and
/// `UNICASTRTP_LOCAL_PORT`: where Asterisk receives RTP and sends it from).
public struct Channel: ARIDecodable, Hashable {
    public var id: ChannelID
    /// Technology and address, e.g. `PJSIP/caller-00000008`, `UnicastRTP/127.0.0.1:40000-0x7f34fc0bf420`.
    public var name: String
    public var state: ChannelState
    /// The SIP Call-ID for PJSIP channels; empty for others.
    public var protocolID: String
    public var caller: CallerID
    public var connected: CallerID
    public var accountCode: String
    public var dialplan: DialplanCEP
    public var creationTime: Date
    public var language: String
    public var channelvars: [String: String]?
    public var callerRDNIS: String?
    public var tenantID: String?

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Channel")
        id = ChannelID(try object.string("id"))
        name = try object.string("name")
        state = ChannelState(try object.string("state"))
        protocolID = try object.lenientString("protocol_id")
        caller = try object.model("caller")
        connected = try object.model("connected")
        accountCode = try object.lenientString("accountcode")
        dialplan = try object.model("dialplan")
        creationTime = try object.date("creationtime")
        language = try object.lenientString("language")
        channelvars = try object.optionalStringMap("channelvars")
        callerRDNIS = try object.optionalString("caller_rdnis")
        tenantID = try object.optionalString("tenantid")
    }
}
