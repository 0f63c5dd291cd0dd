/// A string member with a list of allowed values in the spec (a channel's state, a playback's).
///
/// A struct rather than an enum: Asterisk adds values between versions, and one it sends that
/// this version does not list is kept as written instead of failing the event. The values the
/// spec lists are static constants, so `state == .up` and `case .up:` read as for an enum.
public protocol ARIEnumeration: RawRepresentable, Hashable, Sendable, Decodable, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension ARIEnumeration {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// The value as Asterisk writes it.
    public var description: String { rawValue }
}
