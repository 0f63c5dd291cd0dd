import Audio

/// Encodes 8 kHz audio as Asterisk's slin (PT 10): 16-bit signed, big-endian.
///
/// Only the 8 kHz format exists on purpose: Asterisk drops slin16 (PT 118) sent over chan_rtp,
/// so there is no way to build a slin16 encoder. Stateless and Sendable.
public struct LinearPCMEncoder: AudioEncoder, Sendable {
    /// Creates the encoder.
    public init() {}

    public var format: AudioFormat { .slin }

    public func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(payload.count >= 2 * samples.count, "slin output holds \(payload.count) bytes for \(samples.count) samples")
        for index in samples.indices {
            let bits = UInt16(bitPattern: samples[index])
            payload[2 * index] = UInt8(truncatingIfNeeded: bits >> 8)
            payload[2 * index + 1] = UInt8(truncatingIfNeeded: bits)
        }
        return 2 * samples.count
    }

    /// Nothing to forget: linear PCM is stateless.
    public func reset() {}
}
