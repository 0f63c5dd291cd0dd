import Foundation

/// 16-bit mono PCM WAV files: writing one for upload, reading the header of one being received.
enum WAVFile {
    /// A complete RIFF/WAVE file of `samples` at `sampleRate`.
    static func encode(_ samples: [Int16], sampleRate: Int) -> Data {
        var data = Data(capacity: 44 + samples.count * 2)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append32(UInt32(36 + samples.count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)  // PCM
        append16(1)  // mono
        append32(UInt32(sampleRate))
        append32(UInt32(sampleRate * 2))
        append16(2)
        append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(UInt32(samples.count * 2))
        for sample in samples { withUnsafeBytes(of: sample.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// What a header says about the audio that follows it.
    struct Header: Equatable {
        var sampleRate: Int
        /// Bytes from the start of the file to the first sample.
        var dataOffset: Int
    }

    enum HeaderResult: Equatable {
        /// More bytes are needed to see the `data` chunk.
        case incomplete
        case header(Header)
        case invalid(String)
    }

    /// Reads the header at the start of `bytes`, skipping chunks other than `fmt ` and `data`
    /// (`LIST`, `fact`). Streaming servers write a 0 or 0xFFFFFFFF data size; it is ignored.
    static func header(in bytes: Data) -> HeaderResult {
        let bytes = [UInt8](bytes.prefix(64 * 1024))
        guard bytes.count >= 12 else { return .incomplete }
        guard bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return .invalid("not a RIFF/WAVE file") }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var offset = 12
        var sampleRate: Int?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            if id == "data" {
                guard let sampleRate else { return .invalid("data chunk before fmt chunk") }
                return .header(Header(sampleRate: sampleRate, dataOffset: body))
            }
            if id == "fmt " {
                guard body + 16 <= bytes.count else { return .incomplete }
                let format = u16(body), channels = u16(body + 2), bits = u16(body + 14)
                // 0xFFFE (extensible) carries PCM too; its subformat is not checked.
                guard format == 1 || format == 0xFFFE, channels == 1, bits == 16 else {
                    return .invalid("format \(format), \(channels) channels, \(bits) bits; only 16-bit mono PCM is read")
                }
                sampleRate = u32(body + 4)
                guard let rate = sampleRate, (1000...384_000).contains(rate) else { return .invalid("sample rate \(u32(body + 4)) Hz") }
            }
            offset = body + size + (size & 1)
        }
        return bytes.count >= 64 * 1024 ? .invalid("no data chunk in the first 64 KiB") : .incomplete
    }
}
