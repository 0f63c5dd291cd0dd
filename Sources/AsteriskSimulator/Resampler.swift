/// 8 kHz ↔ 16 kHz conversion between the phone's rate and the channel format's rate.
///
/// Simple on purpose: linear interpolation up, a [1 2 1]/4 low-pass before decimation down.
/// Good enough for speech correlation checks; it is not a model of Asterisk's own resampler.
enum Resampler {
    static func convert(_ samples: [Int16], from source: Int, to target: Int) -> [Int16] {
        if source == target { return samples }
        if source * 2 == target {
            var out = [Int16](repeating: 0, count: samples.count * 2)
            for index in samples.indices {
                let current = Int(samples[index]), next = Int(index + 1 < samples.count ? samples[index + 1] : samples[index])
                out[index * 2] = samples[index]
                out[index * 2 + 1] = Int16((current + next) / 2)
            }
            return out
        }
        if source == target * 2 {
            var out = [Int16](repeating: 0, count: samples.count / 2)
            for index in out.indices {
                let center = index * 2
                let before = Int(center > 0 ? samples[center - 1] : samples[center])
                let after = Int(center + 1 < samples.count ? samples[center + 1] : samples[center])
                out[index] = Int16((before + 2 * Int(samples[center]) + after) / 4)
            }
            return out
        }
        return samples
    }
}
