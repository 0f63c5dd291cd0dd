import Foundation

/// A snapshot of an Asterisk bridge.
///
/// ARI bridges live until someone deletes them: they survive being empty and the app's socket dropping.
public struct Bridge: ARIDecodable, Hashable {
    public var id: BridgeID
    /// The bridging technology in use, e.g. `simple_bridge`, `softmix`.
    public var technology: String
    /// `mixing` or `holding`.
    public var bridgeType: String
    /// `stasis` for bridges made through ARI.
    public var bridgeClass: String
    /// `Stasis` for bridges made through ARI.
    public var creator: String
    public var name: String
    public var channels: [ChannelID]
    public var videoMode: String?
    public var videoSourceID: String?
    public var creationTime: Date
    public var bridgevars: [String: String]?

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Bridge")
        id = BridgeID(try object.string("id"))
        technology = try object.string("technology")
        bridgeType = try object.string("bridge_type")
        bridgeClass = try object.lenientString("bridge_class")
        creator = try object.lenientString("creator")
        name = try object.lenientString("name")
        channels = try object.strings("channels").map(ChannelID.init(rawValue:))
        videoMode = try object.optionalString("video_mode")
        videoSourceID = try object.optionalString("video_source_id")
        creationTime = try object.date("creationtime")
        bridgevars = try object.optionalStringMap("bridgevars")
    }
}
