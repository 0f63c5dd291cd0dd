import OfflineSpeech

/// One warmed decoder pool for the recognition tests: loading a decoder takes a while.
actor SharedPool {
    static let shared = SharedPool()
    /// Owned by the actor; every test awaits the same creation.
    private var creation: Task<DecoderPool, any Error>?

    func pool() async throws -> DecoderPool {
        if let creation { return try await creation.value }
        let creation = Task {
            DecoderPool(maximumIdle: 4, warmUpAudio: try await PocketSphinxRecognizer.warmUpAudio())
        }
        self.creation = creation
        return try await creation.value
    }
}
