public import Voice

/// The offline default voice: flite for English, espeak-ng for every other language.
///
/// flite sounds better but speaks only English; espeak-ng covers Brazilian Portuguese.
/// Chosen per sentence from the `language` the pipeline passes, so one instance serves
/// calls in any language.
public struct OfflineSynthesizer: SpeechSynthesizer {
    public let sampleRate: Int
    /// Speaks English.
    public let english: FliteSynthesizer
    /// Speaks every other language.
    public let other: EspeakSynthesizer

    /// - Parameters:
    ///   - sampleRate: the rate to deliver.
    ///   - englishVoice: `slt` (clear) or `kal` (cheap on CPU).
    public init(sampleRate: Int = 16000, englishVoice: FliteVoice = .slt) {
        self.sampleRate = sampleRate
        english = FliteSynthesizer(voice: englishVoice, sampleRate: sampleRate)
        other = EspeakSynthesizer(sampleRate: sampleRate)
    }

    public var name: String { "offline" }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        language.lowercased().hasPrefix("en")
            ? english.synthesize(text, language: language)
            : other.synthesize(text, language: language)
    }
}
