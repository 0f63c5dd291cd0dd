import Audio

/// G.711 µ-law (PT 0) as an RTP codec: ``MuLaw``'s bit-exact conversion over a payload.
/// Stateless, so one value can serve any number of streams and threads.
public struct MuLawCodec: AudioEncoder, AudioDecoder, Sendable {
    /// Creates the codec.
    public init() {}

    public var format: AudioFormat { .ulaw }

    public func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(payload.count >= samples.count, "µ-law output holds \(payload.count) bytes for \(samples.count) samples")
        for index in samples.indices { payload[index] = MuLaw.encode(samples[index]) }
        return samples.count
    }

    public func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int {
        precondition(samples.count >= payload.count, "µ-law output holds \(samples.count) samples for \(payload.count) bytes")
        MuLaw.decodeTable.withUnsafeBufferPointer { table in
            for index in payload.indices { samples[index] = table[Int(payload[index])] }
        }
        return payload.count
    }

    /// Nothing to forget: G.711 is stateless.
    public func reset() {}
}
