import Audio

/// Decodes Asterisk's slin (PT 10, 8 kHz) and slin16 (PT 118, 16 kHz) payloads: 16-bit signed
/// samples in network (big-endian) byte order.
///
/// Stateless and Sendable. A trailing odd byte (never sent by Asterisk) is ignored.
public struct LinearPCMDecoder: AudioDecoder, Sendable {
    public let format: AudioFormat

    /// Creates a decoder for `.slin` or `.slin16`.
    ///
    /// - Precondition: `format` is `.slin` or `.slin16` (the choice is ura's, via
    ///   ``AudioFormat/makeDecoder()``).
    public init(format: AudioFormat) {
        precondition(format == .slin || format == .slin16, "LinearPCMDecoder cannot decode \(format)")
        self.format = format
    }

    public func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int {
        let count = payload.count / 2
        precondition(samples.count >= count, "slin output holds \(samples.count) samples for \(count)")
        for index in 0..<count {
            samples[index] = Int16(bitPattern: UInt16(payload[2 * index]) << 8 | UInt16(payload[2 * index + 1]))
        }
        return count
    }

    /// Nothing to forget: linear PCM is stateless.
    public func reset() {}
}
