/// G.711 A-law, bit-exact with ITU-T G.711 on 16-bit linear samples.
///
/// Decoding is a 256-entry table; encoding finds the segment with one leading-zero count.
/// Negative samples are coded from their one's complement, as G.711 specifies, and every code
/// is XORed with the alternate-mark-inversion mask 0x55.
public enum ALaw {
    /// G.711's even-bit inversion of A-law codes.
    private static let inversionMask: Int32 = 0x55

    /// Linear value of every A-law code.
    public static let decodeTable: [Int16] = (0...255).map { code in
        let uninverted = Int32(code) ^ inversionMask
        let segment = (uninverted & 0x70) >> 4
        var magnitude = (uninverted & 0x0F) << 4
        magnitude = segment == 0 ? magnitude + 8 : (magnitude + 0x108) << (segment - 1)
        return Int16(uninverted & 0x80 != 0 ? magnitude : -magnitude)
    }

    /// The A-law code of one linear sample.
    @inline(__always)
    public static func encode(_ sample: Int16) -> UInt8 {
        var linear = Int32(sample)
        let mask: Int32
        if linear >= 0 {
            mask = inversionMask | 0x80
        } else {
            mask = inversionMask
            linear = -linear - 1
        }
        // 0...7: after the complement the magnitude is at most 32767, so A-law needs no
        // clipping (µ-law's bias can push it past the last segment).
        let segment = (31 - (linear | 0xFF).leadingZeroBitCount) - 7
        let shift = segment == 0 ? 4 : Int32(segment + 3)
        return UInt8(truncatingIfNeeded: ((Int32(segment) << 4) | ((linear >> shift) & 0x0F)) ^ mask)
    }

    /// The linear value of one A-law code.
    @inline(__always)
    public static func decode(_ code: UInt8) -> Int16 { decodeTable[Int(code)] }
}
