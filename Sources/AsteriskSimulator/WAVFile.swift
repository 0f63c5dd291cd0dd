import Foundation

/// 16-bit PCM mono WAV files, for caller scripts and recordings.
public enum WAVFile {
    /// Why a file could not be read.
    public enum Failure: Error, Equatable {
        case notWAV
        case unsupported(String)
    }

    /// Reads a 16-bit PCM mono WAV.
    public static func read(_ url: URL) throws -> (samples: [Int16], sampleRate: Int) {
        try decode(Array(try Data(contentsOf: url)))
    }

    /// Parses WAV bytes (RIFF chunks in any order; `fmt ` before `data`).
    /// - Throws: ``Failure`` for anything but 16-bit PCM mono.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (samples: [Int16], sampleRate: Int) {
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8), Array(bytes[8..<12]) == Array("WAVE".utf8) else {
            throw .notWAV
        }
        var offset = 12
        var rate: Int?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self), size = u32(offset + 4)
            let body = offset + 8
            guard body + size <= bytes.count || id == "data" else { throw .notWAV }
            if id == "fmt " {
                guard size >= 16 else { throw .notWAV }
                guard u16(body) == 1 else { throw .unsupported("format \(u16(body))") }
                guard u16(body + 2) == 1 else { throw .unsupported("\(u16(body + 2)) channels") }
                guard u16(body + 14) == 16 else { throw .unsupported("\(u16(body + 14)) bits") }
                rate = u32(body + 4)
            } else if id == "data" {
                guard let rate else { throw .notWAV }
                let end = min(bytes.count, body + size)
                let samples = stride(from: body, to: end - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
                return (samples, rate)
            }
            offset = body + size + size % 2
        }
        throw .notWAV
    }

    /// Writes a 16-bit PCM mono WAV.
    public static func write(_ samples: [Int16], sampleRate: Int, to url: URL) throws {
        try Data(encode(samples, sampleRate: sampleRate)).write(to: url)
    }

    /// A 44-byte-header 16-bit PCM mono WAV.
    public static func encode(_ samples: [Int16], sampleRate: Int) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let data = samples.flatMap { le16(Int($0)) }
        return Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(sampleRate) + le32(sampleRate * 2) + le16(2) + le16(16)
            + Array("data".utf8) + le32(data.count) + data
    }
}
