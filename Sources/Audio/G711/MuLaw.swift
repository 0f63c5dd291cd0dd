/// G.711 µ-law, bit-exact with ITU-T G.711 on 16-bit linear samples: the phone line's codec,
/// and the format providers speak to phone systems in (ElevenLabs' `ulaw_8000`, OpenAI
/// Realtime's `audio/pcmu`).
///
/// Decoding is a 256-entry table (512 bytes, stays in cache). Encoding finds the segment with
/// one leading-zero count instead of a 64 K-entry table that would evict everything else.
public enum MuLaw {
    /// The bias added to the magnitude before segment search (G.711's 33, scaled to 16 bits).
    private static let bias: Int32 = 0x84

    /// Linear value of every µ-law code.
    public static let decodeTable: [Int16] = (0...255).map { code in
        let complemented = ~UInt8(code)
        let magnitude = ((Int32(complemented & 0x0F) << 3) + bias) << Int32((complemented & 0x70) >> 4)
        return Int16(complemented & 0x80 != 0 ? bias - magnitude : magnitude - bias)
    }

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
}
