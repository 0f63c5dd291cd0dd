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

    /// A new call id of the default namespace (one ura in front of its Asterisk).
    public static func newCallID() -> String { ResourceNamespace.single.newCallID() }

    /// Whether any ura instance made this resource (in this run or an earlier one): never a
    /// caller, whoever's it is.
    public static func isURA(_ id: String) -> Bool { id.hasPrefix(prefix) }
}

/// Which ids belong to one ura instance, so that instances sharing an Asterisk never take
/// each other's bridges and channels for leftovers.
///
/// An instance's ids are `ura-<instance>.<12 hex>` (and `…-bridge`, `…-media`); the dot ends the
/// instance name, so `ura-a.` is never a prefix of another instance's ids (`ura-a-2.`). The
/// single-instance namespace keeps the plain `ura-<12 hex>` form of earlier versions, whose
/// leftovers it still cleans up.
public struct ResourceNamespace: Sendable, Hashable {
    /// The instance name as it appears in ids (lowercase letters, digits and `-`), or nil for
    /// the single-instance namespace.
    public let instance: String?

    /// One ura in front of its Asterisk: `ura-<12 hex>`.
    public static let single = ResourceNamespace(instance: nil)

    /// - Parameter instance: any text (`URA_INSTANCE`, a host name); it is lowercased, other
    ///   characters than letters, digits and `-` become `-`, and it is cut to 40 characters. nil
    ///   or nothing left means the single-instance namespace.
    public init(instance: String?) {
        let cleaned = String((instance ?? "").lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(40))
        self.instance = cleaned.allSatisfy { $0 == "-" } ? nil : cleaned
    }

    private var prefix: String { ResourceNames.prefix + (instance.map { $0 + "." } ?? "") }

    /// A new call id in this namespace.
    public func newCallID() -> String {
        prefix + String(UInt64.random(in: 0 ... 0xFFFF_FFFF_FFFF), radix: 16).leftPadded(to: 12)
    }

    /// Whether this instance made the resource (in this run or an earlier one).
    public func isOurs(_ id: String) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        // The single namespace's ids have no dot after `ura-`: a named instance's are not ours.
        return instance != nil || !id.dropFirst(prefix.count).contains(".")
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
