import Foundation
import Testing
import VoiceTesting
@testable import Voice

/// Noise for the detector tests.
enum TestNoise {
    /// Deterministic white noise at `level` dBFS RMS.
    static func noise(count: Int, level: Double, seed: UInt64 = 42) -> [Int16] {
        var state = seed
        let amplitude = 32768 * pow(10, level / 20) * 3.0.squareRoot()
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let uniform = Double(state >> 11) / Double(1 << 53) * 2 - 1
            return Int16(clamping: Int(uniform * amplitude))
        }
    }
}

@Suite("Voice activity", .timeLimit(.minutes(1)))
struct SpeechDetectorTests {
    static let frame = 160

    /// 1 s silence, utterance, 1.5 s silence, utterance, 1 s silence.
    static func conversation() throws -> [Int16] {
        let first = try SynthesizedSpeech.samples("I would like to book an appointment for tomorrow morning")
        let second = try SynthesizedSpeech.samples("Thank you very much")
        let silence = { (seconds: Double) in [Int16](repeating: 0, count: Int(seconds * 8000)) }
        return silence(1) + first + silence(1.5) + second + silence(1)
    }

    static func frames(_ signal: [Int16]) -> [[Int16]] {
        stride(from: 0, to: signal.count - frame + 1, by: frame).map { Array(signal[$0..<$0 + frame]) }
    }

    static func mixed(_ signal: [Int16], noiseLevel: Double) -> [Int16] {
        zip(signal, TestNoise.noise(count: signal.count, level: noiseLevel)).map { Int16(clamping: Int($0) + Int($1)) }
    }

    @Test(arguments: [nil, -45.0, -35.0])
    func frameAccuracyOnSpeech(noiseLevel: Double?) throws {
        let clean = try Self.conversation()
        let reference = Self.frames(clean).map { Loudness.dBFS($0) > -50 }
        let signal = noiseLevel.map { Self.mixed(clean, noiseLevel: $0) } ?? clean
        let vad = try VoiceActivityDetector(sampleRate: 8000)
        let decisions = try Self.frames(signal).map { try vad.isSpeech($0) }
        let agreement = Double(zip(decisions, reference).filter { $0 == $1 }.count) / Double(reference.count)
        #expect(agreement > 0.85, "noise \(String(describing: noiseLevel)) dBFS: agreement \(agreement)")
    }

    @Test(arguments: [nil, -40.0])
    func detectorFindsBothUtterancesQuicklyWithPreRoll(noiseLevel: Double?) throws {
        let clean = try Self.conversation()
        let signal = noiseLevel.map { Self.mixed(clean, noiseLevel: $0) } ?? clean
        let firstSpeechFrame = try #require(Self.frames(clean).firstIndex { Loudness.dBFS($0) > -50 })
        let detector = try SpeechDetector(sampleRate: 8000)
        var starts: [(frame: Int, preRoll: Int)] = []
        var ends = 0
        for (index, frame) in Self.frames(signal).enumerated() {
            switch detector.process(frame) {
            case .speechStarted(let audio): starts.append((index, audio.count))
            case .speechEnded: ends += 1
            default: break
            }
        }
        #expect(starts.count == 2, "starts at frames \(starts.map(\.frame))")
        #expect(ends == 2)
        let onsetDelay = try #require(starts.first).frame - firstSpeechFrame
        #expect(onsetDelay >= 0 && onsetDelay <= 10, "onset delay \(onsetDelay * 20) ms")
        // The pre-roll reaches back to before the onset, so the recogniser hears the first syllable.
        #expect(try #require(starts.first).preRoll >= (onsetDelay + 1) * Self.frame)
    }

    @Test func steadyNoiseIsLearnedAndThenIgnored() throws {
        let detector = try SpeechDetector(sampleRate: 8000)
        let noise = TestNoise.noise(count: 8000 * 6, level: -30)
        let starts = Self.frames(noise).enumerated().compactMap { index, frame in
            if case .speechStarted = detector.process(frame) { index } else { nil }
        }
        // An abrupt burst of noise is indistinguishable from an onset at first; within a
        // second the floor has learned it, and nothing after that counts as speech.
        #expect(starts.count <= 1)
        #expect(starts.allSatisfy { $0 < 50 })
        #expect(!detector.isSpeaking)
    }

    @Test func speechOverSteadyNoiseIsStillFound() throws {
        let speech = try SynthesizedSpeech.samples("Hello I need to speak with someone")
        let signal = [Int16](repeating: 0, count: 8000 * 2) + speech
        let noisy = Self.mixed(signal, noiseLevel: -40)
        let detector = try SpeechDetector(sampleRate: 8000)
        let starts = Self.frames(noisy).enumerated().compactMap { index, frame in
            if case .speechStarted = detector.process(frame) { index } else { nil }
        }
        #expect(starts.filter { $0 >= 100 }.count == 1, "starts \(starts)")
    }

    @Test func rejectsFramesWebRTCCannotTake() throws {
        let vad = try VoiceActivityDetector(sampleRate: 8000)
        #expect(throws: VoiceActivityDetector.Failure.unsupportedFrame(sampleRate: 8000, samples: 100)) {
            try vad.isSpeech([Int16](repeating: 0, count: 100))
        }
        #expect(throws: VoiceActivityDetector.Failure.self) { try VoiceActivityDetector(sampleRate: 11025) }
    }
}
