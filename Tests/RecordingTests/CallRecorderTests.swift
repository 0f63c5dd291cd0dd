import Foundation
import Logging
import Media
import Testing
@testable import Recording

/// A call's recording file across a restart of ura: the part after it continues the file.
@Suite struct CallRecorderTests {
    static func record(_ frames: Int, value: Int16, directory: String, mode: CallRecorder.Mode = .caller) throws -> CallRecorder.Summary {
        let recorder = try CallRecorder(directory: directory, callID: "call-1", mode: mode, format: .slin, logger: Logger(label: "test"))
        for _ in 0..<frames { recorder.tap.caller([Int16](repeating: value, count: 160)) }
        return recorder.finish()
    }

    static func samples(_ path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return stride(from: 44, to: data.count - 1, by: 2).map { Int16(littleEndian: Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8)) }
    }

    @Test func aCallTakenUpAfterARestartContinuesItsFileInsteadOfOverwritingIt() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "recorder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.record(50, value: 1000, directory: directory)
        // ura killed mid-write: the header never got its sizes, and half a sample trails.
        let handle = try #require(FileHandle(forWritingAtPath: first.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x7F]))
        try handle.close()
        let second = try Self.record(25, value: -2000, directory: directory)
        #expect(second.path == first.path)
        #expect(abs(second.durationSeconds - 1.5) < 0.001, "both parts: 75 frames of 20 ms")
        let samples = try Self.samples(second.path)
        #expect(samples.count == 75 * 160)
        #expect(samples.prefix(50 * 160).allSatisfy { $0 == 1000 } && samples.suffix(25 * 160).allSatisfy { $0 == -2000 })
        let header = try Data(contentsOf: URL(fileURLWithPath: second.path)).prefix(44)
        #expect(header[40..<44] == withUnsafeBytes(of: UInt32(75 * 160 * 2).littleEndian) { Data($0) }, "the closed file's size is both parts")
    }

    @Test func aFileOfAnotherShapeIsKeptAndThePartGoesBesideIt() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "recorder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.record(10, value: 1000, directory: directory)
        let second = try Self.record(10, value: 5, directory: directory, mode: .both)
        #expect(second.path.hasSuffix("call-1-2.wav"))
        #expect(try Self.samples(first.path).count == 10 * 160, "the first part is untouched")
    }
}
