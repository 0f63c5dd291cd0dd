/// Why offline speech synthesis failed.
public enum SynthesizerError: Error, Sendable, Equatable {
    /// The engine has no such voice (espeak-ng data not installed, unknown language).
    case voiceUnavailable(engine: String, voice: String)
    /// The engine returned an error or no audio object.
    case synthesisFailed(engine: String)
}
