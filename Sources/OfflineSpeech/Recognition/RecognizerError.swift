/// Why offline speech recognition failed.
public enum RecognizerError: Error, Sendable, Equatable {
    /// pocketsphinx refused its configuration or could not load the model (files missing:
    /// install `pocketsphinx-en-us`).
    case decoderUnavailable(model: PocketSphinxModel)
    /// pocketsphinx refused a call on a loaded decoder; `call` names it.
    case decoderFailed(call: String)
}
