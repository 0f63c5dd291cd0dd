import Synchronization

/// Reuses pocketsphinx decoders across utterances and calls, and bounds how many exist.
///
/// A decoder costs about 34 MB and a few hundred milliseconds to load, then a warm-up
/// decode. Recognisers lease one for each utterance and give it back at the end, so the
/// pool holds as many decoders as utterances decode at the same time, not one per call
/// ever made; up to ``maximumIdle`` stay loaded between utterances and the rest are freed.
/// No more than ``maximumLoaded`` exist at once: beyond that an utterance waits, first come
/// first served, for one to be given back (its audio waits in the recogniser's stream), so a
/// burst of callers speaking together costs time, not gigabytes. How long they wait is in
/// ``statistics``.
///
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
        /// The most decoders loaded at once so far (never above ``DecoderPool/maximumLoaded``).
        public var mostLoaded: Int
        /// Utterances waiting for a decoder now.
        public var waiting: Int
        /// Utterances that had to wait because ``DecoderPool/maximumLoaded`` were in use.
        public var waits: Int
        /// Their waits, added up.
        public var totalWait: Duration
        /// The longest of them.
        public var longestWait: Duration
    }

    /// The model every decoder loads.
    public let model: PocketSphinxModel
    /// Decoders kept loaded while unused.
    public let maximumIdle: Int
    /// Decoders loaded at once, in use, idle or loading.
    public let maximumLoaded: Int
    private let warmUpAudio: [Int16]
    private let state = Mutex<State>(State())

    private struct Waiter {
        let id: UInt64
        let since: ContinuousClock.Instant
        let continuation: CheckedContinuation<Grant, any Error>
    }

    /// What a waiting utterance is handed: a decoder someone gave back, or room to load one.
    private enum Grant: Sendable {
        case decoder(SphinxDecoder)
        case load
    }

    private struct State {
        var idle: [SphinxDecoder] = []
        var created = 0
        var leased = 0
        var loading = 0
        var waiters: [Waiter] = []
        var nextWaiter: UInt64 = 0
        /// Waiters between taking a number and joining ``waiters``.
        var arriving: Set<UInt64> = []
        /// Of those, the ones cancelled before they joined.
        var cancelledBeforeQueued: Set<UInt64> = []
        var waits = 0
        var totalWait = Duration.zero
        var longestWait = Duration.zero
        var mostLoaded = 0

        var loaded: Int { idle.count + leased + loading }

        /// Room for one more decoder to load, taken.
        mutating func startLoading() {
            loading += 1
            mostLoaded = max(mostLoaded, loaded)
        }

        mutating func recordWait(since: ContinuousClock.Instant) {
            let waited = ContinuousClock.now - since
            totalWait += waited
            longestWait = max(longestWait, waited)
        }
    }

    /// - Parameters:
    ///   - model: acoustic model and dictionary (Debian's US English by default).
    ///   - maximumIdle: decoders kept loaded while unused (at most `maximumLoaded`).
    ///   - maximumLoaded: decoders loaded at once (about 34 MB each); at least one.
    ///   - warmUpAudio: 16 kHz speech each new decoder decodes once before its first
    ///     utterance (see ``PocketSphinxRecognizer/warmUpAudio()``); empty skips warm-up.
    public init(model: PocketSphinxModel = .debianEnglish, maximumIdle: Int = 8, maximumLoaded: Int = 32, warmUpAudio: [Int16] = []) {
        self.model = model
        self.maximumLoaded = max(1, maximumLoaded)
        self.maximumIdle = min(max(0, maximumIdle), self.maximumLoaded)
        self.warmUpAudio = warmUpAudio
    }

    /// Current counts.
    public var statistics: Statistics {
        state.withLock {
            Statistics(
                created: $0.created, idle: $0.idle.count, leased: $0.leased, mostLoaded: $0.mostLoaded, waiting: $0.waiters.count, waits: $0.waits,
                totalWait: $0.totalWait, longestWait: $0.longestWait)
        }
    }

    /// Loads decoders until `count` are idle (at most ``maximumIdle``), so the first calls do not
    /// wait for loading.
    ///
    /// - Throws: ``RecognizerError/decoderUnavailable(model:)`` when the model cannot load.
    public func prewarm(_ count: Int) async throws {
        while true {
            let room = state.withLock { state -> Bool in
                guard state.idle.count < min(count, maximumIdle), state.loaded < maximumLoaded else { return false }
                state.startLoading()
                return true
            }
            guard room else { return }
            do {
                let decoder = try await load()
                give(decoder, loaded: true)
            } catch {
                loadFailed()
                throw error
            }
        }
    }

    /// An idle decoder, or a newly loaded and warmed one; when ``maximumLoaded`` exist, waits
    /// for one to come back.
    ///
    /// - Throws: `CancellationError` if cancelled while waiting; load errors.
    func lease() async throws -> SphinxDecoder {
        let immediate = state.withLock { state -> Grant? in
            if let decoder = state.idle.popLast() {
                state.leased += 1
                return .decoder(decoder)
            }
            guard state.loaded < maximumLoaded else { return nil }
            state.startLoading()
            return .load
        }
        let grant: Grant
        if let immediate { grant = immediate } else { grant = try await waitForGrant() }
        switch grant {
        case .decoder(let decoder):
            return decoder
        case .load:
            do {
                let decoder = try await load()
                state.withLock { state in
                    state.loading -= 1
                    state.leased += 1
                }
                return decoder
            } catch {
                loadFailed()
                throw error
            }
        }
    }

    /// Takes `decoder` back after its utterance ended: to the longest-waiting utterance, else
    /// idle, else freed.
    func giveBack(_ decoder: SphinxDecoder) {
        give(decoder, loaded: false)
    }

    // MARK: Waiting

    private func waitForGrant() async throws -> Grant {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            state.waits += 1
            state.arriving.insert(state.nextWaiter)
            return state.nextWaiter
        }
        let since = ContinuousClock.now
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let grant = state.withLock { state -> Result<Grant, any Error>? in
                    state.arriving.remove(id)
                    if state.cancelledBeforeQueued.remove(id) != nil { return .failure(CancellationError()) }
                    // Room may have appeared between the first look and now.
                    if let decoder = state.idle.popLast() {
                        state.leased += 1
                        state.recordWait(since: since)
                        return .success(.decoder(decoder))
                    }
                    if state.loaded < maximumLoaded {
                        state.startLoading()
                        state.recordWait(since: since)
                        return .success(.load)
                    }
                    state.waiters.append(Waiter(id: id, since: since, continuation: continuation))
                    return nil
                }
                if let grant { continuation.resume(with: grant) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index) }
                // Not queued yet: it will see this when it arrives. Already granted: nothing to undo.
                if state.arriving.contains(id) { state.cancelledBeforeQueued.insert(id) }
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands a decoder that was in use (or just loaded, by ``prewarm(_:)``) to the next waiter,
    /// or keeps it idle, or frees it.
    private func give(_ decoder: SphinxDecoder, loaded: Bool) {
        enum Outcome { case handed(Waiter), kept, freed }
        let outcome = state.withLock { state -> Outcome in
            if loaded { state.loading -= 1 } else { state.leased -= 1 }
            if !state.waiters.isEmpty {
                let waiter = state.waiters.removeFirst()
                state.leased += 1
                state.recordWait(since: waiter.since)
                return .handed(waiter)
            }
            guard state.idle.count < maximumIdle else { return .freed }
            state.idle.append(decoder)
            return .kept
        }
        switch outcome {
        case .handed(let waiter): waiter.continuation.resume(returning: .decoder(decoder))
        case .kept: break
        // Freeing the model takes a while: let the decoder's last reference go on its queue.
        case .freed: decoder.queue.detach { decoder.close() }
        }
    }

    /// A load failed: its room goes to the next waiter, who tries loading in turn.
    private func loadFailed() {
        let waiter = state.withLock { state -> Waiter? in
            state.loading -= 1
            guard !state.waiters.isEmpty else { return nil }
            let waiter = state.waiters.removeFirst()
            state.startLoading()
            state.recordWait(since: waiter.since)
            return waiter
        }
        waiter?.continuation.resume(returning: .load)
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
