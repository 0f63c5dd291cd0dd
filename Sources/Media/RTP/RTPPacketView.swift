/// An RTP packet parsed in place: the header's fields, and the payload as a view into the bytes
/// it was parsed from. Nothing is copied, so the receive path parses without allocating.
///
/// - Important: ``payload`` (and the CSRC and extension bytes) point into the parsed buffer and
///   are valid only as long as it is; ``RTPPacket`` is the owning form.
public struct RTPPacketView {
    /// The marker bit.
    public var marker: Bool
    /// The 7-bit payload type.
    public var payloadType: UInt8
    /// The 16-bit sequence number.
    public var sequenceNumber: UInt16
    /// The 32-bit media timestamp.
    public var timestamp: UInt32
    /// The synchronisation source identifier.
    public var ssrc: UInt32
    /// The payload, without padding.
    public var payload: UnsafeRawBufferPointer
    /// The CSRC list's bytes (4 per source).
    var csrcBytes: UnsafeRawBufferPointer
    /// The header extension's profile and body, if the X bit is set.
    var headerExtension: (profile: UInt16, body: UnsafeRawBufferPointer)?
    /// Padding octets after the payload, the count octet included.
    var paddingCount: UInt8

    /// Views an owned packet's fields and payload (valid while `payload` is).
    init(_ packet: RTPPacket, payload: UnsafeRawBufferPointer) {
        marker = packet.marker
        payloadType = packet.payloadType
        sequenceNumber = packet.sequenceNumber
        timestamp = packet.timestamp
        ssrc = packet.ssrc
        self.payload = payload
        csrcBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        headerExtension = nil
        paddingCount = packet.paddingCount
    }

    /// Parses a datagram without copying it.
    ///
    /// - Parameter bytes: the whole UDP payload, which must outlive the view.
    /// - Throws: ``RTPPacketError`` when the bytes are not a well-formed RTP packet.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPPacketError) {
        let count = bytes.count
        guard count >= RTPPacket.fixedHeaderSize else { throw .truncatedHeader(byteCount: count) }
        let first = bytes[0]
        let version = first >> 6
        guard version == 2 else { throw .unsupportedVersion(version) }
        let hasPadding = first & 0x20 != 0
        let hasExtension = first & 0x10 != 0
        let csrcCount = Int(first & 0x0F)
        let second = bytes[1]

        var offset = RTPPacket.fixedHeaderSize
        guard count >= offset + 4 * csrcCount else {
            throw .truncatedCSRCList(csrcCount: csrcCount, byteCount: count)
        }
        csrcBytes = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4 * csrcCount])
        offset += 4 * csrcCount

        headerExtension = nil
        if hasExtension {
            guard count >= offset + 4 else { throw .truncatedExtension(byteCount: count) }
            let profile = Self.readUInt16(bytes, at: offset)
            let bodyCount = 4 * Int(Self.readUInt16(bytes, at: offset + 2))
            offset += 4
            guard count >= offset + bodyCount else { throw .truncatedExtension(byteCount: count) }
            headerExtension = (profile, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + bodyCount]))
            offset += bodyCount
        }

        var end = count
        paddingCount = 0
        if hasPadding {
            // The count octet is the datagram's last; it exists because count >= 12.
            paddingCount = bytes[count - 1]
            guard paddingCount > 0 else { throw .zeroPaddingCount }
            guard Int(paddingCount) <= count - offset else {
                throw .paddingExceedsPayload(paddingCount: Int(paddingCount), available: count - offset)
            }
            end -= Int(paddingCount)
        }

        marker = second & 0x80 != 0
        payloadType = second & 0x7F
        sequenceNumber = Self.readUInt16(bytes, at: 2)
        timestamp = Self.readUInt32(bytes, at: 4)
        ssrc = Self.readUInt32(bytes, at: 8)
        payload = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }

    /// The contributing sources.
    var csrcs: [UInt32] {
        stride(from: 0, to: csrcBytes.count, by: 4).map { Self.readUInt32(csrcBytes, at: $0) }
    }

    static func readUInt16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(readUInt16(bytes, at: offset)) << 16 | UInt32(readUInt16(bytes, at: offset + 2))
    }
}

// @unchecked: a view owns nothing and only reads the bytes it points at; what limits its use is
// the lifetime of those bytes (the receive buffer during the handler call), on any thread alike.
extension RTPPacketView: @unchecked Sendable {}
