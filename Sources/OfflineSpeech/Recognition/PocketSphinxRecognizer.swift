import Foundation
import Media
public import Voice

/// Offline English speech recognition that listens for the phrases the dialog expects.
///
/// Each utterance leases a decoder from a ``DecoderPool`` and decodes against a JSGF grammar
/// built from ``Voice/RecognitionHints/phrases`` — one of those phrases, nothing else —
/// which on phone audio is far more accurate than pocketsphinx's free-form model (WER 7.5 %
/// vs 55 % measured on flite speech). A grammar decoder always finds *some* phrase, so at
/// the end of the utterance the audio is also decoded with a free phone loop, and a match
/// whose grammar path does not beat the loop by ``minimumScoreMargin`` per frame is
/// rejected: the final transcript is empty, which a flow treats as no-match. With no usable
/// phrases (none has a word in the dictionary) the final transcript is empty too.
///
/// Audio must be 16 kHz (``sampleRate``); the pipeline upsamples 8 kHz phone audio (decoding
/// 8 kHz directly fails). Partial transcripts are yielded when the best phrase changes.
/// Decoding runs on the decoder's own queue, never on the cooperative pool; cancelling the
/// consumer ends the utterance and returns the decoder to the pool.
public struct PocketSphinxRecognizer: SpeechRecognizer {
    public let sampleRate = 16000
    public let name = "pocketsphinx"
    public let pool: DecoderPool
    /// How much better than the free phone loop (log score per 10 ms frame) the grammar
    /// path must be for a match to count.
    public var minimumScoreMargin: Double

    /// The grammar path must at least match the free phone loop. Calibrated on flite speech
    /// (slt and kal) through 8 kHz µ-law, upsampled, against a ten-phrase grammar: in-grammar
    /// phrases beat the loop by 1.3 to 11 per frame, out-of-grammar utterances lose by 0.4 to
    /// 24. Short one-word phrases are the weak spot ("hours", "agent" sometimes land just
    /// below zero and are rejected); give states multi-word phrases where possible.
    public static let defaultMinimumScoreMargin: Double = 0

    public init(pool: DecoderPool, minimumScoreMargin: Double = defaultMinimumScoreMargin) {
        self.pool = pool
        self.minimumScoreMargin = minimumScoreMargin
    }

    /// Speech for ``DecoderPool``'s warm-up: flite saying a greeting as a phone line
    /// carries it (8 kHz µ-law, upsampled to 16 kHz).
    ///
    /// The warm-up sets the decoder's running cepstral mean; wideband speech would set it for
    /// a channel callers never use and make the first real utterances worse, not better.
    public static func warmUpAudio() async throws -> [Int16] {
        let speech = try await FliteSynthesizer(voice: .slt, sampleRate: 8000).samples(for: "Hello, how can I help you today?")
        let line = speech.map { MuLawCodec.decode(MuLawCodec.encode($0)) }
        return RateConversion.convert(line, from: 8000, to: 16000)
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let pool = pool
        let threshold = minimumScoreMargin
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let decoding = try await Self.decode(audio, phrases: hints.phrases, pool: pool) { partial in
                        continuation.yield(Transcript(text: partial, isFinal: false))
                    }
                    guard let decoding, decoding.scoreMargin >= threshold else {
                        continuation.yield(Transcript(text: "", isFinal: true, confidence: 0))
                        continuation.finish()
                        return
                    }
                    continuation.yield(Transcript(text: decoding.phrase, isFinal: true, confidence: Self.confidence(margin: decoding.scoreMargin)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A 0...1 reading of the score margin for logs: 0.5 at the rejection threshold's
    /// neighbourhood (margin 0), near 1 for clear matches.
    static func confidence(margin: Double) -> Double {
        1 / (1 + exp(-margin / 2))
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
            guard !usable.isEmpty else { continue }
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
