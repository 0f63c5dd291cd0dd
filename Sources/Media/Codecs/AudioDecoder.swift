import Audio

/// Turns RTP payloads of one ``AudioFormat`` into 16-bit PCM at the format's audio rate.
///
/// Stateless decoders (G.711, slin) are Sendable values; stateful ones (G.722) are classes that
/// belong to one stream and must see its payloads in sequence order. ``reset()`` starts a new
/// stream (an SSRC change).
///
/// The core method works on caller-owned buffers and does not allocate, so a jitter buffer can
/// decode into memory it reuses; ``decode(_:)`` allocates only the returned array.
public protocol AudioDecoder {
    /// The format decoded.
    var format: AudioFormat { get }

    /// Decodes `payload` into the start of `samples`.
    ///
    /// - Precondition: `samples.count >= format.sampleCount(forPayloadByteCount: payload.count)`.
    /// - Returns: the number of samples written.
    func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int

    /// Forgets the stream history, as for a new stream.
    func reset()
}

extension AudioDecoder {
    /// Decodes `payload` into a new array (the only allocation).
    public func decode(_ payload: [UInt8]) -> [Int16] {
        let count = format.sampleCount(forPayloadByteCount: payload.count)
        return [Int16](unsafeUninitializedCapacity: count) { samples, initialized in
            initialized = payload.withUnsafeBufferPointer { decode($0, into: samples) }
        }
    }
}
