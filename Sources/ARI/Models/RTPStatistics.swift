/// RTP counters of a channel's media (`GET /channels/{id}/rtp_statistics`); only RTP-based channels have them.
///
/// Jitter and round-trip values are in seconds as Asterisk reports them; "remote" values come from RTCP reports.
public struct RTPStatistics: ARIDecodable, Hashable {
    public var txCount: Int
    public var rxCount: Int
    public var txJitter: Double?
    public var rxJitter: Double?
    public var txPacketLoss: Int
    public var rxPacketLoss: Int
    public var remoteMaxJitter: Double?
    public var localMaxJitter: Double?
    public var rtt: Double?
    public var maxRTT: Double?
    public var localSSRC: Int
    public var remoteSSRC: Int
    public var txOctetCount: Int
    public var rxOctetCount: Int
    public var channelUniqueID: ChannelID
    /// Every member as sent, including the min/max/deviation statistics not lifted into properties.
    public var raw: JSONObject

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "RTPstat")
        txCount = try object.int("txcount")
        rxCount = try object.int("rxcount")
        txJitter = try object.optionalDouble("txjitter")
        rxJitter = try object.optionalDouble("rxjitter")
        txPacketLoss = try object.int("txploss")
        rxPacketLoss = try object.int("rxploss")
        remoteMaxJitter = try object.optionalDouble("remote_maxjitter")
        localMaxJitter = try object.optionalDouble("local_maxjitter")
        rtt = try object.optionalDouble("rtt")
        maxRTT = try object.optionalDouble("maxrtt")
        localSSRC = try object.int("local_ssrc")
        remoteSSRC = try object.int("remote_ssrc")
        txOctetCount = try object.int("txoctetcount")
        rxOctetCount = try object.int("rxoctetcount")
        channelUniqueID = ChannelID(try object.string("channel_uniqueid"))
        raw = object.members
    }
}
