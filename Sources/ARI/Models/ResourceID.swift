/// The identifier of an ARI resource, typed by what it names so that ids cannot be mixed up
/// (a bridge id passed where a channel id belongs does not compile).
///
/// Any string is accepted: Asterisk decides what exists. It encodes and decodes as a plain JSON string.
public struct ResourceID<Resource: ARIResourceKind>: RawRepresentable, Hashable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The id exactly as Asterisk writes it.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Same as ``init(rawValue:)``.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Lets tests and constants write ids as literals.
    public init(stringLiteral value: String) {
        rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The raw id.
    public var description: String { rawValue }
}

/// What a ``ResourceID`` names; the conforming types are never instantiated.
public protocol ARIResourceKind: Sendable {}

/// A channel's `id` (Asterisk's uniqueid, or one ura assigned with `channelId`).
public typealias ChannelID = ResourceID<ChannelResource>
/// A bridge's `id`.
public typealias BridgeID = ResourceID<BridgeResource>
/// A playback's `id`.
public typealias PlaybackID = ResourceID<PlaybackResource>
/// A live recording's `name`: recordings are named, not numbered.
public typealias RecordingName = ResourceID<RecordingResource>

public enum ChannelResource: ARIResourceKind {}
public enum BridgeResource: ARIResourceKind {}
public enum PlaybackResource: ARIResourceKind {}
public enum RecordingResource: ARIResourceKind {}
