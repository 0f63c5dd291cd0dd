/// One RTP packet (RFC 3550 §5.1), parsed from or serialised to its wire form.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |                             SSRC                              |
/// |                  CSRC list (CC × 32 bits) ...                 |
/// |   profile (if X)              |   length in words (if X)      |
/// |                  extension body ...                           |
/// |                  payload ...          | padding ... | count   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// A plain value: parsing copies the payload out of the receive buffer, so a packet can outlive
/// it and cross threads. Parsing never traps on hostile input; it throws ``RTPPacketError``.
/// Serialising checks only ura's own invariants (payload type fits 7 bits, at most 15 CSRCs).
public struct RTPPacket: Hashable, Sendable {
    /// Size of the fixed header in bytes.
    public static let fixedHeaderSize = 12

    /// The marker bit. Asterisk never sets it; ura sets it on the first packet of a talk spurt.
    public var marker: Bool
    /// The 7-bit payload type (0 µ-law, 8 A-law, 9 G.722, 10 slin, 118 slin16 for Asterisk).
    public var payloadType: UInt8
    /// The 16-bit sequence number; wraps from 65535 to 0.
    public var sequenceNumber: UInt16
    /// The 32-bit media timestamp in RTP clock units; wraps modulo 2^32.
    public var timestamp: UInt32
    /// The synchronisation source identifier.
    public var ssrc: UInt32
    /// Contributing sources (at most 15).
    public var csrcs: [UInt32]
    /// The header extension, if the X bit is (to be) set.
    public var headerExtension: RTPHeaderExtension?
    /// The payload, without padding.
    public var payload: [UInt8]
    /// Number of padding octets after the payload, including the final count octet; 0 means
    /// no padding (P bit clear). Padding octets are written as zeros.
    public var paddingCount: UInt8

    /// Creates a packet; defaults match what Asterisk sends (no marker, CSRC, extension or padding).
    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        payload: [UInt8],
        marker: Bool = false,
        csrcs: [UInt32] = [],
        headerExtension: RTPHeaderExtension? = nil,
        paddingCount: UInt8 = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
        self.paddingCount = paddingCount
    }
}

// MARK: - Parsing

extension RTPPacket {
    /// Parses a datagram.
    ///
    /// - Parameter bytes: the whole UDP payload.
    /// - Throws: ``RTPPacketError`` when the bytes are not a well-formed RTP packet.
    public init(parsing bytes: [UInt8]) throws(RTPPacketError) {
        // `withUnsafeBytes` only rethrows untyped errors, so the typed error travels in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(RTPPacketError) in try RTPPacket(parsing: raw) }
        }
        self = try result.get()
    }

    /// Parses a datagram straight from a receive buffer (the payload is copied out).
    ///
    /// - Parameter bytes: the whole UDP payload.
    /// - Throws: ``RTPPacketError`` when the bytes are not a well-formed RTP packet.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPPacketError) {
        self.init(try RTPPacketView(parsing: bytes))
    }

    /// Copies a viewed packet out of the buffer it was parsed from.
    public init(_ view: RTPPacketView) {
        self.init(
            payloadType: view.payloadType,
            sequenceNumber: view.sequenceNumber,
            timestamp: view.timestamp,
            ssrc: view.ssrc,
            payload: Array(view.payload),
            marker: view.marker,
            csrcs: view.csrcs,
            headerExtension: view.headerExtension.map { RTPHeaderExtension(profile: $0.profile, data: Array($0.body)) },
            paddingCount: view.paddingCount
        )
    }
}

// MARK: - Serialising

extension RTPPacket {
    /// Number of bytes ``serialize(into:)`` writes.
    public var serializedCount: Int {
        var total = Self.fixedHeaderSize + 4 * csrcs.count + payload.count + Int(paddingCount)
        if let headerExtension { total += 4 + 4 * headerExtension.wordCount }
        return total
    }

    /// The packet's wire form in a new array.
    public func serialized() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: serializedCount) { buffer, initialized in
            initialized = serialize(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Writes the wire form into `buffer` without allocating, for a send path that reuses one
    /// buffer per socket.
    ///
    /// - Precondition: `buffer.count >= serializedCount`, `payloadType < 128`, `csrcs.count <= 15`
    ///   and the extension body fits 65535 words; these are ura's own values, not input.
    /// - Returns: the number of bytes written (``serializedCount``).
    @discardableResult
    public func serialize(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let total = serializedCount
        precondition(buffer.count >= total, "RTP buffer holds \(buffer.count) bytes, packet needs \(total)")
        precondition(payloadType < 128, "RTP payload type \(payloadType) does not fit 7 bits")
        precondition(csrcs.count <= 15, "RTP allows at most 15 CSRCs, got \(csrcs.count)")

        var first: UInt8 = 2 << 6 | UInt8(csrcs.count)
        if paddingCount > 0 { first |= 0x20 }
        if headerExtension != nil { first |= 0x10 }
        buffer[0] = first
        buffer[1] = (marker ? 0x80 : 0) | payloadType
        Self.write(sequenceNumber, to: buffer, at: 2)
        Self.write(timestamp, to: buffer, at: 4)
        Self.write(ssrc, to: buffer, at: 8)
        var offset = Self.fixedHeaderSize
        for csrc in csrcs {
            Self.write(csrc, to: buffer, at: offset)
            offset += 4
        }
        if let headerExtension {
            let words = headerExtension.wordCount
            precondition(words <= Int(UInt16.max), "RTP header extension of \(words) words is too long")
            Self.write(headerExtension.profile, to: buffer, at: offset)
            Self.write(UInt16(words), to: buffer, at: offset + 2)
            offset += 4
            Self.copy(headerExtension.data, to: buffer, at: offset)
            let bodyEnd = offset + 4 * words
            Self.zero(buffer, from: offset + headerExtension.data.count, to: bodyEnd)
            offset = bodyEnd
        }
        Self.copy(payload, to: buffer, at: offset)
        offset += payload.count
        if paddingCount > 0 {
            Self.zero(buffer, from: offset, to: offset + Int(paddingCount) - 1)
            buffer[offset + Int(paddingCount) - 1] = paddingCount
            offset += Int(paddingCount)
        }
        return offset
    }

    private static func write(_ value: UInt16, to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer[offset] = UInt8(truncatingIfNeeded: value >> 8)
        buffer[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    private static func write(_ value: UInt32, to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        write(UInt16(truncatingIfNeeded: value >> 16), to: buffer, at: offset)
        write(UInt16(truncatingIfNeeded: value), to: buffer, at: offset + 2)
    }

    private static func copy(_ bytes: [UInt8], to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + source.count]).copyMemory(from: source)
        }
    }

    private static func zero(_ buffer: UnsafeMutableRawBufferPointer, from start: Int, to end: Int) {
        guard start < end else { return }
        UnsafeMutableRawBufferPointer(rebasing: buffer[start..<end]).initializeMemory(as: UInt8.self, repeating: 0)
    }
}
