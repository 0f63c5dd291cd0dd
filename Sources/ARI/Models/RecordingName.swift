/// The identifier of a live or stored recording (recordings are addressed by name).
///
/// A distinct type per resource keeps ids from being mixed up; it encodes as a plain JSON string.
public struct RecordingName: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        rawValue = value
    }

    public var description: String { rawValue }
}
