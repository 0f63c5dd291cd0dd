/// The identifier of a playback.
///
/// A distinct type per resource keeps ids from being mixed up; it encodes as a plain JSON string.
public struct PlaybackID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The id exactly as Asterisk writes it.
    public let rawValue: String

    /// Wraps an id; any string is accepted, Asterisk decides what exists.
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

    /// The raw id.
    public var description: String { rawValue }
}
