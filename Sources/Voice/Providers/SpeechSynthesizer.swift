/// Audio from text: a streaming text-to-speech engine.
///
/// The pipeline calls ``synthesize(_:language:)`` once per sentence or clause, as the brain's
/// reply forms. The synthesiser yields 16-bit mono PCM at ``sampleRate`` in chunks of any
/// size, as early as it can (the first chunk's delay is the caller's wait), and finishes the
/// stream at the end of the text. Cancelling the consuming task (barge-in) stops it.
public protocol SpeechSynthesizer: Sendable {
    var sampleRate: Int { get }
    /// A name for logs and metrics ("flite", "espeak-ng", "openai").
    var name: String { get }

    func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error>
}
