/// The parameters of `POST /channels/externalMedia` (`channels.json` of the ARI spec).
///
/// Valid combinations: `rtp` + `udp` (chan_rtp), `audiosocket` + `tcp`, `none` + `websocket`.
/// Asterisk answers 400 for mismatches and 501 for other combinations.
public struct ExternalMediaRequest: Sendable, Hashable {
    /// How media is wrapped.
    public enum Encapsulation: String, Sendable, Hashable, CaseIterable {
        case rtp, audiosocket, none
    }

    /// How media travels.
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case udp, tcp, websocket
    }

    /// Who connects: `server` only with `websocket` (Asterisk waits for the media connection).
    public enum ConnectionType: String, Sendable, Hashable, CaseIterable {
        case client, server
    }

    /// The Stasis application the new channel enters (it gets its own StasisStart there).
    public var app: String
    /// The Asterisk format name: `ulaw`, `alaw`, `g722`, `slin`, `slin16`, …; Asterisk transcodes to it.
    /// An unknown name makes Asterisk answer 500 (not 400).
    public var format: String
    /// `host:port` ura receives on (rtp, audiosocket), or the websocket client id; nil for websocket server.
    public var externalHost: String?
    /// nil: Asterisk's default, `rtp`.
    public var encapsulation: Encapsulation?
    /// nil: Asterisk's default, `udp`.
    public var transport: Transport?
    /// nil: Asterisk's default, `client`.
    public var connectionType: ConnectionType?
    /// Only websocket uses it.
    public var direction: AudioDirection?
    /// The StasisStart args of the new channel; for audiosocket the required UUID.
    public var data: String?
    /// websocket only: chan_websocket dial options such as `f(json)`.
    public var transportData: String?
    /// The id to give the channel, so its StasisStart is recognised as ura's own.
    public var channelID: ChannelID?
    /// Variables to set on the new channel.
    public var variables: [String: String]

    /// nil members are left out of the request, so Asterisk applies its defaults.
    public init(
        app: String, format: String, externalHost: String?, encapsulation: Encapsulation? = nil,
        transport: Transport? = nil, connectionType: ConnectionType? = nil, direction: AudioDirection? = nil,
        data: String? = nil, transportData: String? = nil, channelID: ChannelID? = nil, variables: [String: String] = [:]
    ) {
        self.app = app
        self.format = format
        self.externalHost = externalHost
        self.encapsulation = encapsulation
        self.transport = transport
        self.connectionType = connectionType
        self.direction = direction
        self.data = data
        self.transportData = transportData
        self.channelID = channelID
        self.variables = variables
    }

    var parameters: JSONObject {
        var parameters = JSONObject()
        parameters.set("app", .string(app))
        parameters.set("format", .string(format))
        parameters.set("external_host", externalHost.map(JSONValue.string))
        parameters.set("encapsulation", encapsulation.map { .string($0.rawValue) })
        parameters.set("transport", transport.map { .string($0.rawValue) })
        parameters.set("connection_type", connectionType.map { .string($0.rawValue) })
        parameters.set("direction", direction.map { .string($0.rawValue) })
        parameters.set("data", data.map(JSONValue.string))
        parameters.set("transport_data", transportData.map(JSONValue.string))
        parameters.set("channelId", channelID.map { .string($0.rawValue) })
        if !variables.isEmpty { parameters.set("variables", .variables(variables)) }
        return parameters
    }
}
