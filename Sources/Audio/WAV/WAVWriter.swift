import Foundation

/// A 16-bit PCM WAV file written as audio comes, its sizes filled in when it is closed.
///
/// A file left unclosed (ura killed) still plays: the header's sizes claim the longest
/// possible data and players stop at the end of the file. Not Sendable: one writer at a time.
public final class WAVWriter {
    public let channels: Int
    public let sampleRate: Int
    private let handle: FileHandle
    public private(set) var framesWritten = 0

    /// Creates (or truncates) `path`; its directory must exist.
    public init(path: String, channels: Int, sampleRate: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.channels = channels
        self.sampleRate = sampleRate
        try handle.write(contentsOf: WAV.headerBytes(channels: channels, sampleRate: sampleRate, dataBytes: UInt32.max - 36))
    }

    /// Continues `path`, a file this type wrote with the same channels and rate (closed or not),
    /// after its last whole frame; nil when it is not such a file.
    public init?(continuing path: String, channels: Int, sampleRate: Int) throws {
        guard let existing = FileHandle(forReadingAtPath: path) else { return nil }
        let head = try existing.read(upToCount: 44) ?? Data()
        let size = try existing.seekToEnd()
        try existing.close()
        self.channels = channels
        self.sampleRate = sampleRate
        // Only a file this type wrote: its samples start right after a 44-byte header.
        guard case .header(let header) = WAV.header(in: head), header.dataOffset == 44, header.channels == channels,
              header.sampleRate == sampleRate
        else { return nil }
        let frameBytes = UInt64(channels * 2)
        let frames = (size - 44) / frameBytes
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        // A frame cut short by a kill is dropped, so the channels stay aligned.
        try handle.truncate(atOffset: 44 + frames * frameBytes)
        try handle.seekToEnd()
        framesWritten = Int(frames)
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: WAV.headerBytes(channels: channels, sampleRate: sampleRate, dataBytes: UInt32.max - 36))
        try handle.seekToEnd()
    }

    /// Appends interleaved samples (one per channel per frame).
    public func append(interleaved samples: [Int16]) throws {
        guard !samples.isEmpty else { return }
        try handle.write(contentsOf: samples.map(\.littleEndian).withUnsafeBytes { Data($0) })
        framesWritten += samples.count / channels
    }

    /// Writes the real sizes and closes the file.
    public func close() throws {
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: WAV.headerBytes(channels: channels, sampleRate: sampleRate, dataBytes: UInt32(clamping: framesWritten * channels * 2)))
        try handle.close()
    }

    public var duration: Double { Double(framesWritten) / Double(sampleRate) }
}
