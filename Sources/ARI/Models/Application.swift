/// A Stasis application and what it is subscribed to (`GET /applications/{name}`).
///
/// After a reconnect, ``channelIDs`` and ``bridgeIDs`` say which resources are still attached.
public struct Application: ARIDecodable, Hashable {
    public var name: String
    public var channelIDs: [ChannelID]
    public var bridgeIDs: [BridgeID]
    public var endpointIDs: [String]
    public var deviceNames: [String]
    /// The event filter, as raw JSON objects (`[{"type": "StasisStart"}, …]`).
    public var eventsAllowed: [JSONValue]
    public var eventsDisallowed: [JSONValue]

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "Application")
        name = try object.string("name")
        channelIDs = try object.strings("channel_ids").map(ChannelID.init(rawValue:))
        bridgeIDs = try object.strings("bridge_ids").map(BridgeID.init(rawValue:))
        endpointIDs = try object.optionalValue("endpoint_ids") == nil ? [] : object.strings("endpoint_ids")
        deviceNames = try object.optionalValue("device_names") == nil ? [] : object.strings("device_names")
        eventsAllowed = object.optionalValue("events_allowed").flatMap(Self.elements) ?? []
        eventsDisallowed = object.optionalValue("events_disallowed").flatMap(Self.elements) ?? []
    }

    private static func elements(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let elements) = value { elements } else { nil }
    }
}
