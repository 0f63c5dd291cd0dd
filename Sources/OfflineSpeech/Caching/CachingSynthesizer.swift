public import Voice

/// A synthesiser that answers repeated sentences from a ``PromptAudioCache``.
///
/// Wrap the synthesiser of scripted brains (flows, the echo bot's fixed lines), whose
/// sentences repeat call after call; an LLM's replies rarely repeat and would only churn
/// the cache. A hit yields the whole sentence at once. A miss streams from the wrapped
/// synthesiser as usual and stores the sentence once it completed — a sentence cut short
/// by cancellation or an error is not stored.
public struct CachingSynthesizer: SpeechSynthesizer {
    /// The synthesiser asked on a miss.
    public let base: any SpeechSynthesizer
    /// Where sentences are kept; share one between the calls of a flow.
    public let cache: PromptAudioCache

    /// Wraps `base`, keeping its sentences in `cache`.
    public init(_ base: any SpeechSynthesizer, cache: PromptAudioCache) {
        self.base = base
        self.cache = cache
    }

    public var sampleRate: Int { base.sampleRate }
    public var name: String { base.name }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let key = PromptAudioCache.Key(engine: base.name, language: language, text: text, sampleRate: base.sampleRate)
        if let cached = cache.samples(for: key) {
            return AsyncThrowingStream { continuation in
                if !cached.isEmpty { continuation.yield(cached) }
                continuation.finish()
            }
        }
        let base = base
        let cache = cache
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var all: [Int16] = []
                    for try await chunk in base.synthesize(text, language: language) {
                        all += chunk
                        continuation.yield(chunk)
                    }
                    try Task.checkCancellation()
                    cache.store(all, for: key)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
