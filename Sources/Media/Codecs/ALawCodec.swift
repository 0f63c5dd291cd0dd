import Audio

/// G.711 A-law (PT 8) as an RTP codec: ``ALaw``'s bit-exact conversion over a payload.
/// Stateless and Sendable.
public struct ALawCodec: AudioEncoder, AudioDecoder, Sendable {
    /// Creates the codec.
    public init() {}

    public var format: AudioFormat { .alaw }

    public func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(payload.count >= samples.count, "A-law output holds \(payload.count) bytes for \(samples.count) samples")
        for index in samples.indices { payload[index] = ALaw.encode(samples[index]) }
        return samples.count
    }

    public func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int {
        precondition(samples.count >= payload.count, "A-law output holds \(samples.count) samples for \(payload.count) bytes")
        ALaw.decodeTable.withUnsafeBufferPointer { table in
            for index in payload.indices { samples[index] = table[Int(payload[index])] }
        }
        return payload.count
    }

    /// Nothing to forget: G.711 is stateless.
    public func reset() {}
}
