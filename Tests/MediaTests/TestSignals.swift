import Foundation
import Randomness

/// Test signals with known content.
enum TestSignals {
    /// A voiced-speech-like signal: a 140 Hz fundamental with decaying harmonics, a syllable-rate
    /// envelope, then a 200 Hz → 3.4 kHz chirp.
    static func speechLike(sampleRate: Int, seconds: Double) -> [Int16] {
        let count = Int(Double(sampleRate) * seconds)
        let half = count / 2
        return (0..<count).map { index in
            let t = Double(index) / Double(sampleRate)
            let value: Double
            if index < half {
                let envelope = 0.55 + 0.45 * sin(2 * .pi * 4 * t)
                var voiced = 0.0
                for harmonic in 1...12 {
                    voiced += sin(2 * .pi * 140 * Double(harmonic) * t + Double(harmonic)) / Double(harmonic)
                }
                value = 6000 * envelope * voiced
            } else {
                let tc = t - Double(half) / Double(sampleRate)
                let duration = Double(count - half) / Double(sampleRate)
                let rate = (3400.0 - 200.0) / duration
                value = 12000 * sin(2 * .pi * (200 * tc + rate * tc * tc / 2))
            }
            return Int16(max(-32767, min(32767, value)))
        }
    }

    /// A pure tone.
    static func sine(frequency: Double, sampleRate: Int, count: Int, amplitude: Double = 10000) -> [Int16] {
        (0..<count).map { Int16(amplitude * sin(2 * .pi * frequency * Double($0) / Double(sampleRate))) }
    }

    /// Signal-to-noise ratio in dB of `test` against `reference`.
    static func snr(reference: ArraySlice<Int16>, test: ArraySlice<Int16>) -> Double {
        var signal = 0.0
        var noise = 0.0
        for (r, t) in zip(reference, test) {
            signal += Double(r) * Double(r)
            noise += (Double(r) - Double(t)) * (Double(r) - Double(t))
        }
        return 10 * log10(signal / max(noise, 1e-9))
    }

    /// The lag (0..<maxLag) at which `delayed` best matches `reference` (largest correlation).
    static func bestLag(reference: [Int16], delayed: [Int16], maxLag: Int) -> Int {
        var best = (lag: 0, score: -Double.infinity)
        for lag in 0..<maxLag {
            var score = 0.0
            for index in 0..<(reference.count - maxLag) {
                score += Double(reference[index]) * Double(delayed[index + lag])
            }
            if score > best.score { best = (lag, score) }
        }
        return best.lag
    }

    /// Root-mean-square level.
    static func rms(_ samples: some Collection<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        return sqrt(samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count))
    }

    /// The dominant frequency estimated from positive-going zero crossings.
    static func zeroCrossingFrequency(_ samples: ArraySlice<Int16>, sampleRate: Int) -> Double {
        var crossings: [Int] = []
        var previous = samples.first ?? 0
        for (offset, sample) in samples.enumerated() {
            if previous < 0 && sample >= 0 { crossings.append(offset) }
            previous = sample
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * Double(sampleRate) / Double(last - first)
    }
}
