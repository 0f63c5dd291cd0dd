public import Voice

/// Speech from espeak-ng in Brazilian Portuguese, English and espeak's other languages,
/// in process and offline.
///
/// Robotic but intelligible, and the only offline pt-BR voice. Audio streams out buffer by
/// buffer (about 100 ms each) as espeak produces it, resampled from espeak's 22 050 Hz to
/// ``sampleRate``. espeak-ng is one global engine: every synthesiser, whatever its task,
/// queues its work on the single owner (``EspeakEngine``), so calls take turns. Cancelling
/// the consumer stops espeak at its next buffer.
public struct EspeakSynthesizer: SpeechSynthesizer {
    public let sampleRate: Int
    public let name = "espeak-ng"

    /// - Parameter sampleRate: the rate to deliver (espeak-ng produces 22 050 Hz).
    public init(sampleRate: Int = 16000) {
        precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
        self.sampleRate = sampleRate
    }

    /// espeak-ng's voice for a BCP 47 language: `pt-br` for any Portuguese, `en-gb` for
    /// British English, `en-us` for other English, else the tag in lower case.
    public static func voice(for language: String) -> String {
        let tag = language.lowercased()
        if tag.hasPrefix("pt") { return "pt-br" }
        if tag == "en-gb" || tag == "en-uk" { return "en-gb" }
        if tag.hasPrefix("en") { return "en-us" }
        return tag
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let engine = EspeakEngine.shared
        let voice = Self.voice(for: language)
        let rate = sampleRate
        return AsyncThrowingStream { continuation in
            let stream = ResamplingStream(outputRate: rate, continuation: continuation)
            let sink = EspeakEngine.Sink { stream.append($0, rate: $1) }
            let task = Task {
                do {
                    try await engine.queue.run {
                        try engine.synthesize(text, voice: voice, sink: sink)
                        if !sink.isCancelled { stream.finish() }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                sink.cancel()
                task.cancel()
            }
        }
    }
}
