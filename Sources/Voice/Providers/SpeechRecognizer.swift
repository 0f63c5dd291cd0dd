/// Words from caller audio: a streaming speech-to-text engine.
///
/// One call to ``transcribe(_:hints:)`` covers one utterance: the pipeline feeds 16-bit mono
/// PCM at ``sampleRate`` into `audio` as it arrives (pre-roll first) and finishes `audio` when
/// its endpointing says the caller is done. The recogniser yields partial transcripts as it can
/// and exactly one final one — when `audio` ends, or earlier if it endpoints on its own — then
/// finishes the stream. Cancelling the consuming task abandons the utterance.
public protocol SpeechRecognizer: Sendable {
    /// Sample rate the recogniser wants; the pipeline resamples to it.
    var sampleRate: Int { get }
    /// A name for logs and metrics ("pocketsphinx", "openai").
    var name: String { get }

    func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error>
}

/// What the dialog expects to hear next: narrows grammar recognisers, primes others.
public struct RecognitionHints: Sendable, Equatable {
    /// BCP 47 language, e.g. `pt-BR`, `en-US`.
    public var language: String
    /// Phrases the current dialog state accepts (a grammar recogniser only accepts these).
    public var phrases: [String]
    /// Free text that primes a large-vocabulary recogniser (names, jargon).
    public var prompt: String?

    public init(language: String, phrases: [String] = [], prompt: String? = nil) {
        self.language = language
        self.phrases = phrases
        self.prompt = prompt
    }
}

/// A recogniser's reading of the utterance so far.
public struct Transcript: Sendable, Equatable {
    public var text: String
    /// The last transcript of the utterance.
    public var isFinal: Bool
    /// 0...1 where the engine gives one.
    public var confidence: Double?

    public init(text: String, isFinal: Bool, confidence: Double? = nil) {
        self.text = text
        self.isFinal = isFinal
        self.confidence = confidence
    }
}
