import Audio
import CSpanDSP

/// G.722 decoder at 64 kbit/s (PT 9) over spandsp: each payload byte gives two 16 kHz samples
/// (320 per 20 ms). The RTP clock stays 8000 per RFC 3551.
///
/// Stateful, so one decoder belongs to one inbound stream and must see payloads in sequence
/// order (the jitter buffer guarantees that); deliberately not Sendable.
public final class G722Decoder: AudioDecoder {
    private let state: OpaquePointer

    /// Creates a decoder with fresh state.
    public init() {
        // Allocation failure is the only way init can fail: there is nothing to recover.
        guard let state = g722_decode_init(nil, 64000, 0) else { fatalError("g722_decode_init: out of memory") }
        self.state = state
    }

    deinit { g722_decode_free(state) }

    public var format: AudioFormat { .g722 }

    public func decode(_ payload: UnsafeBufferPointer<UInt8>, into samples: UnsafeMutableBufferPointer<Int16>) -> Int {
        precondition(samples.count >= 2 * payload.count, "G.722 output holds \(samples.count) samples for \(payload.count) bytes")
        guard let input = payload.baseAddress, let output = samples.baseAddress, !payload.isEmpty else { return 0 }
        return Int(g722_decode(state, output, input, Int32(payload.count)))
    }

    public func reset() { g722_decode_init(state, 64000, 0) }
}

@available(*, unavailable, message: "a G.722 decoder holds one stream's state; own it from one thread")
extension G722Decoder: Sendable {}
