import CSpeexDSP

/// Streaming sample-rate conversion of mono 16-bit PCM over speexdsp's resampler.
///
/// Any of 8, 16, 22.05, 24 and 48 kHz (or any other positive rate) in either direction. The
/// filter keeps history between calls, so feed one stream's chunks in order and use one
/// resampler per stream; deliberately not Sendable. Output counts vary chunk by chunk (e.g.
/// 22.05 → 16 kHz turns each 441-sample frame into 319 or 320 samples) but no sample is lost:
/// over a stream, output ≈ input × ratio. The signal is delayed by the filter's latency
/// (``outputLatency``), not shortened. Equal rates pass samples through untouched.
public final class Resampler {
    /// speexdsp's default quality, the lowest ura's speech recogniser accepts.
    public static let defaultQuality = 5

    /// The input rate.
    public let inputRate: SampleRate
    /// The output rate.
    public let outputRate: SampleRate
    private let state: OpaquePointer?

    /// Creates a resampler from `inputRate` to `outputRate`.
    ///
    /// - Parameter quality: 0 (fastest) through 10 (best); 5 by default.
    /// - Throws: ``ResamplerError`` for a quality outside 0...10 or rates speexdsp refuses.
    public init(from inputRate: SampleRate, to outputRate: SampleRate, quality: Int = defaultQuality) throws(ResamplerError) {
        guard (0...10).contains(quality) else { throw .invalidQuality(quality) }
        self.inputRate = inputRate
        self.outputRate = outputRate
        if inputRate == outputRate {
            state = nil
            return
        }
        var error: Int32 = 0
        guard let state = speex_resampler_init(
            1, UInt32(inputRate.hertz), UInt32(outputRate.hertz), Int32(quality), &error
        ) else {
            throw .speexError(code: error, inputHertz: inputRate.hertz, outputHertz: outputRate.hertz)
        }
        self.state = state
    }

    deinit {
        if let state { speex_resampler_destroy(state) }
    }

    /// The filter delay in output samples (0 when passing through).
    public var outputLatency: Int {
        guard let state else { return 0 }
        return Int(speex_resampler_get_output_latency(state))
    }

    /// An output capacity that always holds the result of resampling `count` input samples.
    public func maximumOutputCount(forInputCount count: Int) -> Int {
        guard state != nil else { return count }
        // The fractional position carried between calls adds at most one sample; one more is
        // headroom for rounding.
        return (count * outputRate.hertz + inputRate.hertz - 1) / inputRate.hertz + 2
    }

    /// Resamples `input` into `output` without allocating.
    ///
    /// - Precondition: `output.count >= maximumOutputCount(forInputCount: input.count)`.
    /// - Returns: the number of samples written to `output`. All of `input` is consumed.
    public func process(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        let capacity = maximumOutputCount(forInputCount: input.count)
        precondition(output.count >= capacity, "resampler output holds \(output.count) samples, needs \(capacity)")
        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress, !input.isEmpty else { return 0 }
        guard let state else {
            outputBase.update(from: inputBase, count: input.count)
            return input.count
        }
        var consumed = 0
        var produced = 0
        // speexdsp stops when either side is exhausted; loop until every input sample is in.
        while consumed < input.count && produced < output.count {
            var inputLength = UInt32(input.count - consumed)
            var outputLength = UInt32(output.count - produced)
            speex_resampler_process_int(state, 0, inputBase + consumed, &inputLength, outputBase + produced, &outputLength)
            if inputLength == 0 && outputLength == 0 { break }
            consumed += Int(inputLength)
            produced += Int(outputLength)
        }
        return produced
    }

    /// Resamples `input` into a new array (the only allocation).
    public func process(_ input: [Int16]) -> [Int16] {
        [Int16](unsafeUninitializedCapacity: maximumOutputCount(forInputCount: input.count)) { output, initialized in
            initialized = input.withUnsafeBufferPointer { process($0, into: output) }
        }
    }

    /// Resamples a chunk taken at ``inputRate``.
    ///
    /// - Precondition: `chunk.sampleRate == inputRate`.
    public func process(_ chunk: PCMChunk) -> PCMChunk {
        precondition(chunk.sampleRate == inputRate, "resampler expects \(inputRate), got \(chunk.sampleRate)")
        return PCMChunk(samples: process(chunk.samples), sampleRate: outputRate)
    }

    /// Clears the filter history, as for a new stream.
    public func reset() {
        if let state { speex_resampler_reset_mem(state) }
    }
}

@available(*, unavailable, message: "a resampler holds one stream's filter history; own it from one thread")
extension Resampler: Sendable {}
