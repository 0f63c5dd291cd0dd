import Audio
public import Voice

/// Offline English speech recognition that listens for the phrases the dialog expects.
///
/// Each utterance leases a decoder from a ``DecoderPool`` and decodes against a JSGF grammar
/// built from ``Voice/RecognitionHints/phrases`` — one of those phrases, nothing else —
/// which on phone audio is far more accurate than pocketsphinx's free-form model (WER 7.5 %
/// vs 55 % measured on flite speech). A grammar decoder always finds *some* phrase, so a
/// weak match is rejected: when the winning phrase's acoustic score per frame (its words
/// only, not the silence around them) is below ``minimumAcousticScore``, the final
/// transcript is empty, which a flow treats as no-match. With no usable phrases (none has a
/// word in the dictionary, or none given) the final transcript is empty too — unless the
/// pool's model has a language model (``PocketSphinxModel/debianEnglishFreeForm``): then
/// the utterance is decoded free-form, for the echo bot, and never rejected.
///
/// Audio must be 16 kHz (``sampleRate``); the pipeline upsamples 8 kHz phone audio (decoding
/// 8 kHz directly fails). Partial transcripts are yielded when the best phrase changes.
/// Decoding runs on the decoder's own queue, never on the cooperative pool; cancelling the
/// consumer ends the utterance and returns the decoder to the pool.
public struct PocketSphinxRecognizer: SpeechRecognizer {
    public let sampleRate = 16000
    public let name = "pocketsphinx"
    /// Where utterances lease their decoders.
    public let pool: DecoderPool
    /// Where utterances without expected phrases (the echo bot) lease theirs: decoders with a
    /// language model, which cost memory, so loaded only when such an utterance comes. Nil: they
    /// go to ``pool``.
    public let freeFormPool: DecoderPool?
    /// The acoustic score per frame below which the best phrase is rejected.
    public var minimumAcousticScore: Double

    /// Calibrated on flite speech (voices slt and kal) through 8 kHz µ-law, upsampled, with a
    /// twelve-phrase grammar: in-grammar phrases scored −10 to −28.7, out-of-grammar
    /// utterances −29.7 to −61 — except near-misses sharing a word ("opening the door" for
    /// "opening hours", −26.5), which pass. The margin is thin and absolute scores depend on
    /// speaker and line, and shift a little with what a pooled decoder decoded before (its
    /// running cepstral mean): recalibrate with recordings of real callers (`scripts/bench
    /// offline SCORE` reports acceptance and rejection rates at a threshold).
    public static let defaultMinimumAcousticScore: Double = -29.5

    /// True for the languages the model recognises (English); for others every final
    /// transcript is empty, so a flow answers by DTMF only.
    public static func supports(language: String) -> Bool {
        language.lowercased().hasPrefix("en")
    }

    /// A recogniser leasing decoders from `pool`, and from `freeFormPool` for free speech.
    public init(pool: DecoderPool, freeFormPool: DecoderPool? = nil, minimumAcousticScore: Double = defaultMinimumAcousticScore) {
        self.pool = pool
        self.freeFormPool = freeFormPool
        self.minimumAcousticScore = minimumAcousticScore
    }

    /// Speech for ``DecoderPool``'s warm-up: flite saying a greeting as a phone line
    /// carries it (8 kHz µ-law, upsampled to 16 kHz).
    ///
    /// The warm-up sets the decoder's running cepstral mean; wideband speech would set it for
    /// a channel callers never use and make the first real utterances worse, not better.
    public static func warmUpAudio() async throws -> [Int16] {
        let speech = try await FliteSynthesizer(voice: .slt, sampleRate: 8000).samples(for: "Hello, how can I help you today?")
        let line = speech.map { MuLaw.decode(MuLaw.encode($0)) }
        return RateConversion.convert(line, from: 8000, to: 16000)
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let pool = hints.phrases.isEmpty ? freeFormPool ?? pool : pool
        let threshold = minimumAcousticScore
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let decoding = try await Self.decode(audio, phrases: hints.phrases, pool: pool) { partial in
                        continuation.yield(Transcript(text: partial, isFinal: false))
                    }
                    guard let decoding, decoding.freeForm || decoding.acousticScore >= threshold else {
                        continuation.yield(Transcript(text: "", isFinal: true, confidence: 0))
                        continuation.finish()
                        return
                    }
                    continuation.yield(Transcript(text: decoding.phrase, isFinal: true))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Decodes one utterance; nil when no phrase fits. The decoder goes back to the pool
    /// whatever happens.
    static func decode(
        _ audio: AsyncStream<[Int16]>, phrases: [String], pool: DecoderPool,
        partial: (String) -> Void
    ) async throws -> SphinxDecoder.Decoding? {
        let decoder = try await pool.lease()
        defer { pool.giveBack(decoder) }
        let usable = try await decoder.queue.run { try decoder.begin(phrases: phrases) }
        var last: String?
        for await chunk in audio {
            if Task.isCancelled { break }
            guard usable else { continue }
            let best = try await decoder.queue.run { try decoder.process(chunk) }
            if let best, best != last {
                last = best
                partial(best)
            }
        }
        // Always end the utterance, even when cancelled, so the pooled decoder is clean.
        let decoding = try await decoder.queue.run { try decoder.finish() }
        try Task.checkCancellation()
        return decoding
    }
}
