import Audio
import Voice

/// A ``SpeechSynthesizer`` that tries synthesisers in order until one speaks the text.
///
/// A synthesiser that fails before its first audio is skipped for the next; one that fails
/// after is not replaced (the caller would hear half a sentence in one voice and all of it in
/// another). Audio comes out at the first synthesiser's ``sampleRate``; a later one with
/// another rate is resampled.
public struct FallbackSynthesizer: SpeechSynthesizer {
    public let name: String
    public let sampleRate: Int
    let synthesizers: [any SpeechSynthesizer]
    let stats: ProviderStats?

    /// - Precondition: `synthesizers` is not empty (ura's configuration checks the chain).
    public init(_ synthesizers: [any SpeechSynthesizer], stats: ProviderStats? = nil) {
        precondition(!synthesizers.isEmpty, "a fallback chain needs at least one synthesiser")
        self.synthesizers = synthesizers
        self.stats = stats
        self.name = synthesizers.map(\.name).joined(separator: ">")
        self.sampleRate = synthesizers[0].sampleRate
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let rate = sampleRate
        return Fallback.run(role: "tts", members: synthesizers, name: \.name, stats: stats) { synthesizer in
            let audio = synthesizer.synthesize(text, language: language)
            guard synthesizer.sampleRate != rate else { return audio }
            return Self.resampled(audio, from: synthesizer.sampleRate, to: rate)
        }
    }

    private static func resampled(_ audio: AsyncThrowingStream<[Int16], any Error>, from input: Int, to output: Int) -> AsyncThrowingStream<[Int16], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[Int16], any Error>.makeStream()
        let task = Task {
            do {
                let resampler = try Resampler(from: SampleRate(hertz: input), to: SampleRate(hertz: output))
                for try await chunk in audio {
                    let converted = resampler.process(chunk)
                    if !converted.isEmpty { continuation.yield(converted) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
