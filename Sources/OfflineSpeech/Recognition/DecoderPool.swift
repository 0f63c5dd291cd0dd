import Synchronization

/// Reuses pocketsphinx decoders across utterances and calls.
///
/// A decoder costs about 34 MB and a few hundred milliseconds to load, then a warm-up
/// decode. Recognisers lease one for each utterance and give it back at the end, so the
/// pool holds as many decoders as utterances decode at the same time, not one per call
/// ever made; up to ``maximumIdle`` stay loaded between utterances and the rest are freed.
/// Thread-safe; loading and freeing run on the decoders' own queues.
public final class DecoderPool: Sendable {
    /// Counts for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        /// Decoders loaded over the pool's life.
        public var created: Int
        /// Decoders waiting for an utterance.
        public var idle: Int
        /// Decoders in use.
        public var leased: Int
    }

    /// The model every decoder loads.
    public let model: PocketSphinxModel
    /// Decoders kept loaded while unused.
    public let maximumIdle: Int
    private let warmUpAudio: [Int16]
    private let state = Mutex<State>(State())

    private struct State {
        var idle: [SphinxDecoder] = []
        var created = 0
        var leased = 0
    }

    /// - Parameters:
    ///   - model: acoustic model and dictionary (Debian's US English by default).
    ///   - maximumIdle: decoders kept loaded while unused.
    ///   - warmUpAudio: 16 kHz speech each new decoder decodes once before its first
    ///     utterance (see ``PocketSphinxRecognizer/warmUpAudio()``); empty skips warm-up.
    public init(model: PocketSphinxModel = .debianEnglish, maximumIdle: Int = 8, warmUpAudio: [Int16] = []) {
        self.model = model
        self.maximumIdle = max(0, maximumIdle)
        self.warmUpAudio = warmUpAudio
    }

    /// Current counts.
    public var statistics: Statistics {
        state.withLock { Statistics(created: $0.created, idle: $0.idle.count, leased: $0.leased) }
    }

    /// Loads decoders until `count` are idle, so the first calls do not wait for loading.
    ///
    /// - Throws: ``RecognizerError/decoderUnavailable(model:)`` when the model cannot load.
    public func prewarm(_ count: Int) async throws {
        var decoders: [SphinxDecoder] = []
        while statistics.idle + decoders.count < min(count, maximumIdle) {
            decoders.append(try await load())
        }
        state.withLock { $0.idle += decoders }
    }

    /// An idle decoder, or a newly loaded and warmed one.
    func lease() async throws -> SphinxDecoder {
        let reused = state.withLock { state -> SphinxDecoder? in
            guard let decoder = state.idle.popLast() else { return nil }
            state.leased += 1
            return decoder
        }
        if let reused { return reused }
        let decoder = try await load()
        state.withLock { $0.leased += 1 }
        return decoder
    }

    /// Takes `decoder` back after its utterance ended.
    func giveBack(_ decoder: SphinxDecoder) {
        let kept = state.withLock { state -> Bool in
            state.leased -= 1
            guard state.idle.count < maximumIdle else { return false }
            state.idle.append(decoder)
            return true
        }
        // Freeing the model takes a while: let the decoder's last reference go on its queue.
        if !kept { decoder.queue.detach { decoder.close() } }
    }

    private func load() async throws -> SphinxDecoder {
        let number = state.withLock { state -> Int in
            state.created += 1
            return state.created
        }
        do {
            let decoder = try await SphinxDecoder.make(model: model, label: "ura.pocketsphinx.\(number)")
            let audio = warmUpAudio
            try await decoder.queue.run { try decoder.warmUp(audio) }
            return decoder
        } catch {
            state.withLock { $0.created -= 1 }
            throw error
        }
    }
}
