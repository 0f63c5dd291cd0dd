import OfflineSpeech

/// Warm-up audio and decoder pools for the recognition tests.
///
/// A decoder's running cepstral mean carries over from one utterance to the next, so the
/// score of an utterance depends a little on what the decoder heard before. Tests that check
/// scores against the rejection threshold use ``freshPool()``, whose decoders hear only the
/// warm-up before each utterance (as calibrated); the rest share one pool.
actor SharedPool {
    static let shared = SharedPool()
    /// Owned by the actor; every test awaits the same creation.
    private var creation: Task<DecoderPool, any Error>?

    /// A pool that loads a new warmed decoder for every utterance, at most `maximumLoaded` at once.
    func freshPool(maximumLoaded: Int = 32) async throws -> DecoderPool {
        DecoderPool(maximumIdle: 0, maximumLoaded: maximumLoaded, warmUpAudio: try await warmUpAudio())
    }

    private var warmUp: Task<[Int16], any Error>?

    private func warmUpAudio() async throws -> [Int16] {
        if let warmUp { return try await warmUp.value }
        let warmUp = Task { try await PocketSphinxRecognizer.warmUpAudio() }
        self.warmUp = warmUp
        return try await warmUp.value
    }

    func pool() async throws -> DecoderPool {
        if let creation { return try await creation.value }
        let creation = Task {
            DecoderPool(maximumIdle: 4, warmUpAudio: try await self.warmUpAudio())
        }
        self.creation = creation
        return try await creation.value
    }
}
