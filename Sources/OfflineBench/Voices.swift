import Audio
import Foundation
import Media
import OfflineSpeech
import Randomness

/// Caller audio from several synthetic voices, through a phone line as rough as a real one:
/// the recogniser's minimum score was calibrated on flite's `slt`, so its figure alone says
/// little about callers; the other voices and the impaired line say more.
enum CallerVoice: String, CaseIterable {
    case fliteSLT = "flite-slt", fliteKAL = "flite-kal", espeakUS = "espeak-en-us", espeakGB = "espeak-en-gb"

    /// `text` spoken at 8 kHz.
    func speak(_ text: String) async throws -> [Int16] {
        switch self {
        case .fliteSLT: return try await FliteSynthesizer(voice: .slt, sampleRate: 8000).samples(for: text)
        case .fliteKAL: return try await FliteSynthesizer(voice: .kal, sampleRate: 8000).samples(for: text)
        case .espeakUS, .espeakGB:
            var samples: [Int16] = []
            for try await chunk in EspeakSynthesizer(sampleRate: 8000).synthesize(text, language: self == .espeakUS ? "en-US" : "en-GB") {
                samples += chunk
            }
            return samples
        }
    }
}

/// What the line does to the voice before µ-law.
enum LineCondition: String, CaseIterable {
    /// Only µ-law.
    case clean
    /// The telephone band (300–3400 Hz, second-order filters each side) and white noise 15 dB
    /// below the speech, seeded so runs compare.
    case bandLimitedNoisy = "band+noise15dB"

    func apply(_ samples: [Int16], seed: UInt64) -> [Int16] {
        guard self == .bandLimitedNoisy, !samples.isEmpty else { return samples }
        var highPass = Biquad.highPass(cutoff: 300, sampleRate: 8000)
        var lowPass = Biquad.lowPass(cutoff: 3400, sampleRate: 8000)
        let filtered = samples.map { lowPass.process(highPass.process(Double($0))) }
        let power = filtered.reduce(0) { $0 + $1 * $1 } / Double(filtered.count)
        let noiseAmplitude = (power / pow(10, 15 / 10)).squareRoot() * 3.0.squareRoot()  // uniform noise: rms = a/√3
        var random = SeededRandom(seed: seed)
        return filtered.map { Int16(clamping: Int(($0 + Double.random(in: -noiseAmplitude...noiseAmplitude, using: &random)).rounded())) }
    }
}

/// A second-order IIR section (RBJ's audio EQ cookbook).
struct Biquad {
    var b0, b1, b2, a1, a2: Double
    var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0

    static func lowPass(cutoff: Double, sampleRate: Double) -> Biquad { make(cutoff: cutoff, sampleRate: sampleRate, high: false) }
    static func highPass(cutoff: Double, sampleRate: Double) -> Biquad { make(cutoff: cutoff, sampleRate: sampleRate, high: true) }

    private static func make(cutoff: Double, sampleRate: Double, high: Bool) -> Biquad {
        let omega = 2 * Double.pi * cutoff / sampleRate
        let alpha = sin(omega) / (2 * 0.7071)
        let cosine = cos(omega)
        let a0 = 1 + alpha
        let b0 = (high ? (1 + cosine) : (1 - cosine)) / 2
        let b1 = high ? -(1 + cosine) : (1 - cosine)
        return Biquad(b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: -2 * cosine / a0, a2: (1 - alpha) / a0)
    }

    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        (x2, x1, y2, y1) = (x1, x, y1, y)
        return y
    }
}
