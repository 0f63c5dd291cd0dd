import Audio
import Media

/// Whole-buffer sample-rate conversion for engines that produce audio at their own rate.
enum RateConversion {
    /// `samples` at `inputRate` converted to `outputRate` (speexdsp, quality 5), including
    /// the filter's tail, so the end of a word is not cut off.
    static func convert(_ samples: [Int16], from inputRate: Int, to outputRate: Int) -> [Int16] {
        guard inputRate != outputRate, !samples.isEmpty, inputRate > 0, outputRate > 0,
              let resampler = try? Resampler(from: SampleRate(hertz: inputRate), to: SampleRate(hertz: outputRate))
        else { return samples }
        // Flush the filter's delay with silence, then drop that delay from the front.
        let tailInput = (resampler.outputLatency * inputRate + outputRate - 1) / outputRate
        let output = resampler.process(samples + [Int16](repeating: 0, count: tailInput))
        let expected = samples.count * outputRate / inputRate
        return Array(output.dropFirst(resampler.outputLatency).prefix(expected))
    }
}
