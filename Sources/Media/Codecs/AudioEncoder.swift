import Audio

/// Turns 16-bit PCM at the format's audio rate into RTP payloads of one ``AudioFormat``.
///
/// Stateless encoders (G.711, slin) are Sendable values; G.722's is a class that belongs to one
/// outbound stream and must see its audio in order. There is no slin16 encoder:
/// ``AudioFormat/makeEncoder()`` refuses it because Asterisk drops PT 118.
///
/// The core method works on caller-owned buffers and does not allocate; ``encode(_:)``
/// allocates only the returned array.
public protocol AudioEncoder {
    /// The format produced.
    var format: AudioFormat { get }

    /// Encodes `samples` into the start of `payload`.
    ///
    /// G.722 codes samples in pairs: a trailing odd sample is dropped, so feed it even counts
    /// (every 20 ms frame is).
    ///
    /// - Precondition: `payload.count >= format.payloadByteCount(forSampleCount: samples.count)`.
    /// - Returns: the number of payload bytes written.
    func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int

    /// Forgets the stream history, as for a new stream.
    func reset()
}

extension AudioEncoder {
    /// Encodes `samples` into a new array (the only allocation).
    public func encode(_ samples: [Int16]) -> [UInt8] {
        let count = format.payloadByteCount(forSampleCount: samples.count)
        return [UInt8](unsafeUninitializedCapacity: count) { payload, initialized in
            initialized = samples.withUnsafeBufferPointer { encode($0, into: payload) }
        }
    }
}
