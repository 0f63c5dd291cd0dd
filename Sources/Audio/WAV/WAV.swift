import Foundation

/// 16-bit PCM WAV, the one way ura reads and writes it: files for upload and from providers,
/// caller scripts, recordings (with ``WAVWriter``).
public enum WAV {
    /// What a header says about the audio after it.
    public struct Header: Equatable, Sendable {
        public var sampleRate: Int
        public var channels: Int
        /// Bytes from the start of the file to the first sample.
        public var dataOffset: Int
        /// The `data` chunk's size as written: streaming servers and unclosed files write 0 or
        /// 0xFFFFFFFF, so a reader that can take the whole file trusts the file's end instead.
        public var declaredDataBytes: Int
    }

    /// How far reading a header's bytes got.
    public enum HeaderResult: Equatable, Sendable {
        /// More bytes are needed to see the `data` chunk.
        case incomplete
        case header(Header)
        case invalid(String)
    }

    /// Why a whole file cannot be read.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the header at the start of `bytes`, skipping chunks other than `fmt ` and `data`
    /// (`LIST`, `fact`): 16-bit PCM (or extensible), 1 or 2 channels, 1 kHz to 384 kHz.
    public static func header(in bytes: Data) -> HeaderResult {
        let bytes = [UInt8](bytes.prefix(64 * 1024))
        guard bytes.count >= 12 else { return .incomplete }
        guard bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return .invalid("not a RIFF/WAVE file") }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var offset = 12
        var format: (sampleRate: Int, channels: Int)?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            if id == "data" {
                guard let format else { return .invalid("data chunk before fmt chunk") }
                return .header(Header(sampleRate: format.sampleRate, channels: format.channels, dataOffset: body, declaredDataBytes: size))
            }
            if id == "fmt " {
                guard size >= 16 else { return .invalid("fmt chunk of \(size) bytes") }
                guard body + 16 <= bytes.count else { return .incomplete }
                let code = u16(body), channels = u16(body + 2), bits = u16(body + 14)
                // 0xFFFE (extensible) carries PCM too; its subformat is not checked.
                guard code == 1 || code == 0xFFFE, (1...2).contains(channels), bits == 16 else {
                    return .invalid("format \(code), \(channels) channels, \(bits) bits; only 16-bit PCM, mono or stereo, is read")
                }
                let rate = u32(body + 4)
                guard (1000...384_000).contains(rate) else { return .invalid("sample rate \(rate) Hz") }
                format = (rate, channels)
            }
            offset = body + size + (size & 1)
        }
        return bytes.count >= 64 * 1024 ? .invalid("no data chunk in the first 64 KiB") : .incomplete
    }

    /// A whole mono file's samples and rate; the file's end bounds the data, whatever its header says.
    /// - Throws: ``Invalid`` for anything but 16-bit PCM mono.
    public static func decode(_ data: Data) throws(Invalid) -> (samples: [Int16], sampleRate: Int) {
        switch header(in: data) {
        case .incomplete: throw Invalid(description: "not a complete WAV file")
        case .invalid(let problem): throw Invalid(description: problem)
        case .header(let header):
            guard header.channels == 1 else { throw Invalid(description: "\(header.channels) channels; a mono file is needed") }
            let bytes = [UInt8](data.dropFirst(header.dataOffset))
            let declared = header.declaredDataBytes == 0 || header.declaredDataBytes >= 0xFFFF_FFF0 ? bytes.count : header.declaredDataBytes
            let end = min(bytes.count, declared) & ~1
            let samples = stride(from: 0, to: end, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
            return (samples, header.sampleRate)
        }
    }

    /// Reads a mono file.
    public static func read(_ url: URL) throws -> (samples: [Int16], sampleRate: Int) {
        try decode(try Data(contentsOf: url))
    }

    /// A whole mono file of `samples`.
    public static func encode(_ samples: [Int16], sampleRate: Int) -> Data {
        var data = headerBytes(channels: 1, sampleRate: sampleRate, dataBytes: UInt32(clamping: samples.count * 2))
        data.reserveCapacity(44 + samples.count * 2)
        samples.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes a mono file.
    public static func write(_ samples: [Int16], sampleRate: Int, to url: URL) throws {
        try encode(samples, sampleRate: sampleRate).write(to: url)
    }

    /// The 44-byte header of a 16-bit PCM file whose samples take `dataBytes`.
    static func headerBytes(channels: Int, sampleRate: Int, dataBytes: UInt32) -> Data {
        var data = Data(capacity: 44)
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func put16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        put32(dataBytes &+ 36)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        put32(16)
        put16(1)  // PCM
        put16(UInt16(channels))
        put32(UInt32(sampleRate))
        put32(UInt32(sampleRate * channels * 2))
        put16(UInt16(channels * 2))
        put16(16)
        data.append(contentsOf: Array("data".utf8))
        put32(dataBytes)
        return data
    }
}
