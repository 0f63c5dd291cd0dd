import Foundation
import Testing
@testable import Audio

/// ura's one WAV reader and writer.
@Suite struct WAVTests {
    @Test func aMonoFileRoundTrips() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234]
        let decoded = try WAV.decode(WAV.encode(samples, sampleRate: 16000))
        #expect(decoded.samples == samples && decoded.sampleRate == 16000)
        #expect(throws: WAV.Invalid.self) { try WAV.decode(Data("not a wav".utf8)) }
    }

    @Test func aStreamingHeaderIsReadAsItArrives() throws {
        var file = WAV.encode([1, 2, 3], sampleRate: 24000)
        // Streaming servers write 0xFFFFFFFF as the data size, and a LIST chunk before data.
        file.replaceSubrange(40..<44, with: [0xFF, 0xFF, 0xFF, 0xFF])
        file.insert(contentsOf: Array("LIST".utf8) + [4, 0, 0, 0] + Array("INFO".utf8), at: 36)
        #expect(WAV.header(in: file.prefix(30)) == .incomplete)
        guard case .header(let header) = WAV.header(in: file) else {
            Issue.record("no header in \(Array(file))")
            return
        }
        #expect(header.sampleRate == 24000 && header.channels == 1 && header.dataOffset == 56)
        #expect(try WAV.decode(file).samples == [1, 2, 3], "the file's end bounds data of an unknown size")
    }

    @Test func stereoIsReadAsAHeaderButNotDecodedAsMono() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "stereo-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try WAVWriter(path: path, channels: 2, sampleRate: 8000)
        try writer.append(interleaved: [1, -1, 2, -2])
        try writer.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard case .header(let header) = WAV.header(in: data) else {
            Issue.record("the writer's header does not read back")
            return
        }
        #expect(header.channels == 2 && header.declaredDataBytes == 8)
        #expect(throws: WAV.Invalid.self) { try WAV.decode(data) }
    }

    @Test(arguments: [
        ("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt \u{10}\u{0}\u{0}\u{0}\u{3}\u{0}", "format 3"),  // float
        ("RIFF\u{0}\u{0}\u{0}\u{0}WAVEdata\u{0}\u{0}\u{0}\u{0}", "data chunk before fmt"),
        ("RIFX\u{0}\u{0}\u{0}\u{0}WAVE", "not a RIFF/WAVE file"),
    ])
    func whatIsNotPCMSaysWhy(text: String, reason: String) {
        var bytes = Data(text.utf8)
        bytes.append(Data(repeating: 0, count: 16))
        guard case .invalid(let problem) = WAV.header(in: bytes) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(problem.contains(reason), "\(problem)")
    }
}
