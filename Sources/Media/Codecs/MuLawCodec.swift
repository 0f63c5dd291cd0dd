import Audio

/// G.711 µ-law (PT 0), bit-exact with ITU-T G.711 on 16-bit linear samples.
///
/// Decoding is a 256-entry table (512 bytes, stays in cache). Encoding finds the segment with
/// one leading-zero count instead of a 64 K-entry table that would evict everything else.
/// Stateless, so one value can serve any number of streams and threads.
public struct MuLawCodec: AudioEncoder, AudioDecoder, Sendable {
    /// The bias added to the magnitude before segment search (G.711's 33, scaled to 16 bits).
    private static let bias: Int32 = 0x84

    /// Linear value of every µ-law code.
    private static let decodeTable: [Int16] = (0...255).map { code in
        let complemented = ~UInt8(code)
        let magnitude = ((Int32(complemented & 0x0F) << 3) + bias) << Int32((complemented & 0x70) >> 4)
        return Int16(complemented & 0x80 != 0 ? bias - magnitude : magnitude - bias)
    }

    /// Creates the codec.
    public init() {}

    public var format: AudioFormat { .ulaw }

    /// The µ-law code of one linear sample.
    @inline(__always)
    public static func encode(_ sample: Int16) -> UInt8 {
        var linear = Int32(sample)
        let mask: Int32
        if linear >= 0 {
            linear = bias + linear
            mask = 0xFF
        } else {
            linear = bias - linear
            mask = 0x7F
        }
        let segment = (31 - (linear | 0xFF).leadingZeroBitCount) - 7
        if segment >= 8 { return UInt8(0x7F ^ mask) }
        return UInt8(truncatingIfNeeded: ((Int32(segment) << 4) | ((linear >> Int32(segment + 3)) & 0x0F)) ^ mask)
    }

    /// The linear value of one µ-law code.
    @inline(__always)
    public static func decode(_ code: UInt8) -> Int16 { decodeTable[Int(code)] }

    public func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(payload.count >= samples.count, "µ-law output holds \(payload.count) bytes for \(samples.count) samples")
        for index in samples.indices { payload[index] = Self.encode(samples[index]) }
        return samples.count
    }

    public func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int {
        precondition(samples.count >= payload.count, "µ-law output holds \(samples.count) samples for \(payload.count) bytes")
        Self.decodeTable.withUnsafeBufferPointer { table in
            for index in payload.indices { samples[index] = table[Int(payload[index])] }
        }
        return payload.count
    }

    /// Nothing to forget: G.711 is stateless.
    public func reset() {}
}
