import OfflineSpeech
import Providers

/// The speech engines that need no network: pocketsphinx (grammar recognition, English) and
/// flite/espeak-ng, shared by every call as the `offline` entry of the provider chains.
public enum OfflineEngines {
    /// Loads and warms a pocketsphinx decoder (the first utterance on a cold one is worse) and
    /// prepares the synthesisers at the call's audio rate.
    /// - Parameters:
    ///   - sampleRate: the call's audio rate (8000, or 16000 for G.722).
    ///   - decoders: decoders to load and warm before the first call.
    ///   - maximumDecoders: decoders loaded at once (about 34 MB each); callers beyond wait their turn.
    public static func load(sampleRate: Int, decoders: Int = 1, maximumDecoders: Int = 32) async throws -> ProviderFactory.Offline {
        let warmUp = try await PocketSphinxRecognizer.warmUpAudio()
        let pool = DecoderPool(maximumLoaded: maximumDecoders, warmUpAudio: warmUp)
        try await pool.prewarm(decoders)
        // The echo bot's free speech needs the language model: at most two such decoders,
        // loaded on the first echo call, never for flows.
        let freeForm = DecoderPool(model: .debianEnglishFreeForm, maximumIdle: 1, maximumLoaded: 2, warmUpAudio: warmUp)
        return ProviderFactory.Offline(
            recognizer: PocketSphinxRecognizer(pool: pool, freeFormPool: freeForm),
            synthesizer: CachingSynthesizer(OfflineSynthesizer(sampleRate: sampleRate), cache: PromptAudioCache()))
    }
}
