import Synchronization

/// Synthesised audio of prompts that repeat, kept in memory up to a size bound.
///
/// A flow says the same sentences on every call; synthesising them once saves CPU and the
/// caller's wait. Entries are keyed by engine, language, text and sample rate; when the total
/// exceeds ``maximumSamples`` the least recently used entries go. Thread-safe.
public final class PromptAudioCache: Sendable {
    /// What a cached sentence was synthesised with.
    public struct Key: Hashable, Sendable {
        /// The synthesiser's name, which includes its voice ("flite-slt", "espeak-ng").
        public var engine: String
        public var language: String
        public var text: String
        public var sampleRate: Int

        /// The key of `text` spoken by `engine` in `language` at `sampleRate`.
        public init(engine: String, language: String, text: String, sampleRate: Int) {
            self.engine = engine
            self.language = language
            self.text = text
            self.sampleRate = sampleRate
        }
    }

    /// The most samples held at once (all entries together).
    public let maximumSamples: Int
    private let state = Mutex<State>(State())

    private struct State {
        var entries: [Key: (samples: [Int16], lastUse: UInt64)] = [:]
        var totalSamples = 0
        var clock: UInt64 = 0
    }

    /// - Parameter maximumSamples: the bound; the default holds ten minutes of 16 kHz audio
    ///   (about 19 MB).
    public init(maximumSamples: Int = 16000 * 600) {
        self.maximumSamples = max(0, maximumSamples)
    }

    /// The cached audio for `key`, marking it recently used.
    public func samples(for key: Key) -> [Int16]? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key] = (entry.samples, state.clock)
            return entry.samples
        }
    }

    /// Keeps `samples` for `key`, evicting the least recently used entries to fit. Audio
    /// larger than the whole bound is not kept.
    public func store(_ samples: [Int16], for key: Key) {
        guard samples.count <= maximumSamples else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.entries.updateValue((samples, state.clock), forKey: key) {
                state.totalSamples -= old.samples.count
            }
            state.totalSamples += samples.count
            while state.totalSamples > maximumSamples,
                  let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
                state.totalSamples -= oldest.value.samples.count
            }
        }
    }

    /// Entries held.
    public var count: Int { state.withLock { $0.entries.count } }
    /// Samples held over all entries.
    public var totalSamples: Int { state.withLock { $0.totalSamples } }
}
