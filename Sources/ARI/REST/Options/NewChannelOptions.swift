/// Options shared by originate, create and externalMedia-style calls that make a new channel.
public struct NewChannelOptions: Sendable, Hashable {
    /// The id to give the new channel, so its StasisStart is recognised before the POST returns.
    public var channelID: ChannelID?
    /// The id of the `;2` half of a Local channel.
    public var otherChannelID: ChannelID?
    /// A channel whose formats (and linkedid) the new one inherits. Not together with ``formats``.
    public var originator: ChannelID?
    /// Formats to offer, e.g. `["ulaw", "slin16"]`. Not together with ``originator``.
    public var formats: [String]
    /// Channel variables to set (dialplan functions allowed, e.g. `CALLERID(name)`).
    public var variables: [String: String]

    /// Everything optional: nil and empty members are not sent.
    public init(
        channelID: ChannelID? = nil, otherChannelID: ChannelID? = nil, originator: ChannelID? = nil,
        formats: [String] = [], variables: [String: String] = [:]
    ) {
        self.channelID = channelID
        self.otherChannelID = otherChannelID
        self.originator = originator
        self.formats = formats
        self.variables = variables
    }

    func add(to parameters: inout JSONObject, includingChannelID: Bool = true) {
        if includingChannelID { parameters.set("channelId", channelID.map { .string($0.rawValue) }) }
        parameters.set("otherChannelId", otherChannelID.map { .string($0.rawValue) })
        parameters.set("originator", originator.map { .string($0.rawValue) })
        if !formats.isEmpty { parameters.set("formats", .string(formats.joined(separator: ","))) }
        if !variables.isEmpty { parameters.set("variables", .variables(variables)) }
    }
}

extension JSONValue {
    /// A `variables` body member, keys sorted so requests are reproducible.
    static func variables(_ variables: [String: String]) -> JSONValue {
        var object = JSONObject()
        for key in variables.keys.sorted() { object.append(key: key, value: .string(variables[key]!)) }
        return .object(object)
    }
}
