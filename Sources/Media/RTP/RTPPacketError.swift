/// Why bytes received on a media socket are not an RTP packet.
///
/// Returned by the ``RTPPacket`` parser; the receive path drops the datagram and counts it
/// (``RTPStatistics/malformed``). Each case carries what a log line needs to explain the drop.
public enum RTPPacketError: Error, Hashable, Sendable {
    /// Fewer than the 12 bytes of the fixed header.
    case truncatedHeader(byteCount: Int)
    /// The version field is not 2 (RFC 3550 §5.1).
    case unsupportedVersion(UInt8)
    /// The CC field announces more CSRC identifiers than the datagram holds.
    case truncatedCSRCList(csrcCount: Int, byteCount: Int)
    /// The X bit is set but the extension header or its announced words are cut short.
    case truncatedExtension(byteCount: Int)
    /// The P bit is set but the last octet (the padding count, which counts itself) is zero.
    case zeroPaddingCount
    /// The padding count is larger than what follows the header.
    case paddingExceedsPayload(paddingCount: Int, available: Int)
}
