import ARI

/// The ids ura gives the Asterisk resources it creates.
///
/// ura chooses them before asking Asterisk (`bridgeId`, `channelId`), so it recognises its own
/// channels' events from the first one on — an externalMedia StasisStart can arrive before the
/// POST that created it returns — and leftovers of an earlier run are found by their prefix.
public struct ResourceNames: Sendable, Hashable {
    /// Every id ura creates starts with this.
    public static let prefix = "ura-"

    /// The call's own id, used in logs and by the operator API.
    public let callID: String
    public let bridge: BridgeID
    public let mediaChannel: ChannelID

    /// - Parameter resources: what the bridge and externalMedia channel ids start with; the
    ///   call id unless the call goes on from an earlier run, whose leftovers carry that id.
    public init(callID: String = ResourceNames.newCallID(), resources: String? = nil) {
        self.callID = callID
        let stem = resources ?? callID
        bridge = BridgeID(stem + "-bridge")
        mediaChannel = ChannelID(stem + "-media")
    }

    /// `ura-` and 12 random hex digits.
    public static func newCallID() -> String {
        prefix + String(UInt64.random(in: 0 ... 0xFFFF_FFFF_FFFF), radix: 16).leftPadded(to: 12)
    }

    /// Whether ura made this resource (in this run or an earlier one).
    public static func isOurs(_ id: String) -> Bool { id.hasPrefix(prefix) }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
