import Foundation

/// A 16-bit PCM WAV file written as audio comes, its sizes filled in when it is closed.
///
/// A file left unclosed (ura killed) still plays: the header's sizes claim the longest
/// possible data and players stop at the end of the file.
final class WAVFile {
    let channels: Int
    let sampleRate: Int
    private let handle: FileHandle
    private(set) var framesWritten = 0

    /// Creates (or truncates) `path`; its directory must exist.
    init(path: String, channels: Int, sampleRate: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.channels = channels
        self.sampleRate = sampleRate
        try handle.write(contentsOf: header(dataBytes: UInt32.max - 36))
    }

    /// Continues `path`, a file this type wrote with the same channels and rate (closed or not),
    /// after its last whole frame; nil when it is not such a file.
    init?(continuing path: String, channels: Int, sampleRate: Int) throws {
        guard let existing = FileHandle(forReadingAtPath: path) else { return nil }
        let head = try existing.read(upToCount: 44) ?? Data()
        let size = try existing.seekToEnd()
        try existing.close()
        self.channels = channels
        self.sampleRate = sampleRate
        guard head.count == 44, head.prefix(4) == Data("RIFF".utf8), head[36..<40] == Data("data".utf8),
              head[22..<24] == withUnsafeBytes(of: UInt16(channels).littleEndian, { Data($0) }),
              head[24..<28] == withUnsafeBytes(of: UInt32(sampleRate).littleEndian, { Data($0) })
        else { return nil }
        let frameBytes = UInt64(channels * 2)
        let frames = (size - 44) / frameBytes
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        // A frame cut short by a kill is dropped, so the channels stay aligned.
        try handle.truncate(atOffset: 44 + frames * frameBytes)
        try handle.seekToEnd()
        framesWritten = Int(frames)
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: header(dataBytes: UInt32.max - 36))
        try handle.seekToEnd()
    }

    /// Appends interleaved samples (one per channel per frame).
    func append(interleaved samples: [Int16]) throws {
        guard !samples.isEmpty else { return }
        try handle.write(contentsOf: samples.map(\.littleEndian).withUnsafeBytes { Data($0) })
        framesWritten += samples.count / channels
    }

    /// Writes the real sizes and closes the file.
    func close() throws {
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: header(dataBytes: UInt32(clamping: framesWritten * channels * 2)))
        try handle.close()
    }

    var duration: Double { Double(framesWritten) / Double(sampleRate) }

    private func header(dataBytes: UInt32) -> Data {
        var data = Data()
        func put(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func put16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        put("RIFF")
        put32(dataBytes &+ 36)
        put("WAVE")
        put("fmt ")
        put32(16)
        put16(1) // PCM
        put16(UInt16(channels))
        put32(UInt32(sampleRate))
        put32(UInt32(sampleRate * channels * 2))
        put16(UInt16(channels * 2))
        put16(16)
        put("data")
        put32(dataBytes)
        return data
    }
}
