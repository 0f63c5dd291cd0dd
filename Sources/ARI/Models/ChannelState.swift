/// A channel's state (`ast_state2str`): `up` once answered.
///
/// Values this type does not know are kept in ``other(_:)``, so a new Asterisk never breaks decoding.
public enum ChannelState: Hashable, Sendable, CustomStringConvertible {
    case down
    /// Asterisk writes "Rsrvd"; the Swagger text says "Rsrved". Both map here.
    case reserved
    case offHook
    case dialing
    case ring
    case ringing
    case up
    case busy
    case dialingOffhook
    case preRing
    /// Asterisk's own "Unknown", or any text not listed above.
    case other(String)

    /// The state Asterisk's text names; unknown text becomes ``other(_:)``.
    public init(_ text: String) {
        switch text {
        case "Down": self = .down
        case "Rsrvd", "Rsrved": self = .reserved
        case "OffHook": self = .offHook
        case "Dialing": self = .dialing
        case "Ring": self = .ring
        case "Ringing": self = .ringing
        case "Up": self = .up
        case "Busy": self = .busy
        case "Dialing Offhook": self = .dialingOffhook
        case "Pre-ring": self = .preRing
        default: self = .other(text)
        }
    }

    /// The text Asterisk uses for this state.
    public var description: String {
        switch self {
        case .down: "Down"
        case .reserved: "Rsrvd"
        case .offHook: "OffHook"
        case .dialing: "Dialing"
        case .ring: "Ring"
        case .ringing: "Ringing"
        case .up: "Up"
        case .busy: "Busy"
        case .dialingOffhook: "Dialing Offhook"
        case .preRing: "Pre-ring"
        case .other(let text): text
        }
    }
}
