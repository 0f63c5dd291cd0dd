import CSpanDSP

/// G.722 at 64 kbit/s through spandsp: one encoder and one decoder state per UnicastRTP channel.
///
/// Not thread-safe; the owning ``UnicastRTPEndpoint`` keeps it inside its lock.
final class G722Codec {
    private let encoder: OpaquePointer?
    private let decoder: OpaquePointer?

    init() {
        encoder = g722_encode_init(nil, 64000, 0)
        decoder = g722_decode_init(nil, 64000, 0)
    }

    deinit {
        if let encoder { g722_encode_free(encoder) }
        if let decoder { g722_decode_free(decoder) }
    }

    /// 16 kHz PCM → G.722 bytes (one byte per two samples).
    func encode(_ samples: [Int16]) -> [UInt8] {
        guard let encoder else { return [] }
        var out = [UInt8](repeating: 0, count: samples.count / 2)
        let written = out.withUnsafeMutableBufferPointer { bytes in
            samples.withUnsafeBufferPointer { g722_encode(encoder, bytes.baseAddress, $0.baseAddress, Int32($0.count)) }
        }
        return Array(out.prefix(Int(max(0, written))))
    }

    /// G.722 bytes → 16 kHz PCM.
    func decode(_ bytes: [UInt8]) -> [Int16] {
        guard let decoder else { return [] }
        var out = [Int16](repeating: 0, count: bytes.count * 2)
        let written = out.withUnsafeMutableBufferPointer { samples in
            bytes.withUnsafeBufferPointer { g722_decode(decoder, samples.baseAddress, $0.baseAddress, Int32($0.count)) }
        }
        return Array(out.prefix(Int(max(0, written))))
    }
}
