import Foundation

/// Turns 16-bit little-endian PCM bytes, arriving in pieces of any length, into samples.
///
/// A piece may end in the middle of a sample; its odd byte is kept and joined to the next piece.
struct PCMByteDecoder {
    private var carry: UInt8?

    mutating func decode(_ bytes: Data) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity((bytes.count + 1) / 2)
        var iterator = bytes.makeIterator()
        if let low = carry {
            guard let high = iterator.next() else { return [] }
            samples.append(Int16(bitPattern: UInt16(low) | UInt16(high) << 8))
            carry = nil
        }
        while let low = iterator.next() {
            guard let high = iterator.next() else {
                carry = low
                break
            }
            samples.append(Int16(bitPattern: UInt16(low) | UInt16(high) << 8))
        }
        return samples
    }

    /// True when a byte is still waiting for its pair (at the end of a stream: a truncated sample).
    var hasPartialSample: Bool { carry != nil }
}
