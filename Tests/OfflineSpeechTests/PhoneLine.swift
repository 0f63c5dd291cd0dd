import Audio
import OfflineSpeech

/// Caller audio as the recogniser gets it on a call: flite speech at 8 kHz, through G.711
/// µ-law, with silence around it, upsampled to 16 kHz 20 ms frame by 20 ms frame.
enum PhoneLine {
    static func frames(saying text: String, voice: FliteVoice = .slt) async throws -> [[Int16]] {
        let speech = try await FliteSynthesizer(voice: voice, sampleRate: 8000).samples(for: text)
        let silence = [Int16](repeating: 0, count: 2400)
        let line = (silence + speech + silence).map { MuLaw.decode(MuLaw.encode($0)) }
        let resampler = try Resampler(from: .hz8000, to: .hz16000)
        return stride(from: 0, to: line.count, by: 160).map { start in
            resampler.process(Array(line[start..<min(start + 160, line.count)]))
        }
    }

    static func stream(_ frames: [[Int16]]) -> AsyncStream<[Int16]> {
        AsyncStream { continuation in
            for frame in frames { continuation.yield(frame) }
            continuation.finish()
        }
    }
}
