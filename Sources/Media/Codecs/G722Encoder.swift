import Audio
import CSpanDSP

/// G.722 encoder at 64 kbit/s (PT 9) over spandsp: 16 kHz PCM in, one byte per two samples out
/// (160 bytes per 20 ms).
///
/// Stateful (ADPCM predictors and the QMF filter), so one encoder belongs to one outbound stream
/// and must see its audio in order; it is deliberately not Sendable.
public final class G722Encoder: AudioEncoder {
    private let state: OpaquePointer

    /// Creates an encoder with fresh state.
    public init() {
        // Allocation failure is the only way init can fail: there is nothing to recover.
        guard let state = g722_encode_init(nil, 64000, 0) else { fatalError("g722_encode_init: out of memory") }
        self.state = state
    }

    deinit { g722_encode_free(state) }

    public var format: AudioFormat { .g722 }

    public func encode(_ samples: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = samples.count & ~1
        precondition(payload.count >= count / 2, "G.722 output holds \(payload.count) bytes for \(count) samples")
        guard count > 0, let input = samples.baseAddress, let output = payload.baseAddress else { return 0 }
        return Int(g722_encode(state, output, input, Int32(count)))
    }

    public func reset() { g722_encode_init(state, 64000, 0) }
}

@available(*, unavailable, message: "a G.722 encoder holds one stream's state; own it from one thread")
extension G722Encoder: Sendable {}
