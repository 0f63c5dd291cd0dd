/// The simulator's state of one channel, and its ARI `Channel` JSON.
struct ChannelRecord: Sendable {
    /// What sits behind the channel.
    enum Kind: Sendable {
        /// A PJSIP leg with a synthetic phone.
        case phone(SyntheticCaller)
        /// A chan_rtp externalMedia leg.
        case unicastRTP(UnicastRTPEndpoint)
    }

    struct Dialplan: Sendable {
        var context: String
        var exten: String
        var priority: Int
        var appName: String
        var appData: String
    }

    var id: String
    var name: String
    var state: String
    var protocolID: String
    var callerNumber: String
    var connectedNumber = ""
    var dialplan: Dialplan
    var creationTime: String
    var kind: Kind
    /// The app whose Stasis the channel is in (StasisStart sent, StasisEnd not yet).
    var stasisApp: String?
    /// The app that created the channel (externalMedia, originate); it keeps getting the
    /// channel's events after StasisEnd, up to ChannelDestroyed.
    var ownerApp: String?
    var bridgeID: String?
    var variables: [String: String] = [:]
    var mutedIn = false
    /// Set while `StasisBroadcast()` offers the channel to apps: the args a claim enters Stasis
    /// with, and who claimed it once someone has.
    var broadcast: Broadcast?

    struct Broadcast: Sendable {
        var args: [String]
        var claimedBy: String?
    }

    var isExternalMedia: Bool { if case .unicastRTP = kind { true } else { false } }

    var json: JSON {
        .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("state", .string(state)),
            ("protocol_id", .string(protocolID)),
            ("caller", .object([("name", ""), ("number", .string(callerNumber))])),
            ("connected", .object([("name", ""), ("number", .string(connectedNumber))])),
            ("accountcode", ""),
            ("dialplan", .object([
                ("context", .string(dialplan.context)),
                ("exten", .string(dialplan.exten)),
                ("priority", .number(Double(dialplan.priority))),
                ("app_name", .string(dialplan.appName)),
                ("app_data", .string(dialplan.appData)),
            ])),
            ("creationtime", .string(creationTime)),
            ("language", "en"),
        ])
    }

    /// The snapshot with `channelvars`, as the externalMedia response carries it.
    func json(withChannelVars names: [String]) -> JSON {
        guard case .object(var members) = json else { return json }
        members.append(("channelvars", .object(names.compactMap { name in variables[name].map { (name, .string($0)) } })))
        return .object(members)
    }
}
