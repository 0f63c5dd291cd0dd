/// The RTP header extension of RFC 3550 §5.3.1: a profile-defined 16-bit identifier and a body
/// of 32-bit words.
///
/// Asterisk's chan_rtp never sends one, but the parser must accept (and skip) it, and the
/// serialiser must be able to write one so tests can build hostile and exotic packets.
public struct RTPHeaderExtension: Hashable, Sendable {
    /// The "defined by profile" field.
    public var profile: UInt16
    /// The extension body. Parsed bodies are always a multiple of 4 bytes; when serialising, a
    /// body of another length is padded with zero bytes to the next word boundary.
    public var data: [UInt8]

    /// Creates an extension with the given profile identifier and body.
    public init(profile: UInt16, data: [UInt8]) {
        self.profile = profile
        self.data = data
    }

    /// The body length in 32-bit words as written on the wire.
    var wordCount: Int { (data.count + 3) / 4 }
}
