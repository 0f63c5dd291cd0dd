public import Voice

/// English speech from flite, in process and offline.
///
/// Each call synthesises the text whole (the pipeline already hands over one sentence at a
/// time) on the voice's serial queue, off the cooperative pool, then resamples it to
/// ``sampleRate`` and yields it as one chunk. All synthesisers of a voice share that queue,
/// so concurrent calls take turns. Cancelling the consumer drops the result; a synthesis
/// already running finishes first (flite cannot be interrupted). `language` is ignored:
/// both voices speak US English only.
public struct FliteSynthesizer: SpeechSynthesizer {
    public let sampleRate: Int
    /// The flite voice speaking.
    public let voice: FliteVoice
    public var name: String { "flite-\(voice.rawValue)" }

    /// - Parameters:
    ///   - voice: `slt` (clear) or `kal` (cheap).
    ///   - sampleRate: the rate to deliver (the call's rate, or 16 kHz for a recogniser).
    public init(voice: FliteVoice = .slt, sampleRate: Int = 16000) {
        precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
        self.voice = voice
        self.sampleRate = sampleRate
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let engine = FliteEngine.shared(voice)
        let rate = sampleRate
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let samples = try await engine.queue.run {
                        let wave = try engine.synthesize(text)
                        return RateConversion.convert(wave.samples, from: wave.sampleRate, to: rate)
                    }
                    if !samples.isEmpty, !Task.isCancelled { continuation.yield(samples) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Synthesises `text` and returns all of it (tests, warm-up audio, prompt caches).
    public func samples(for text: String) async throws -> [Int16] {
        var all: [Int16] = []
        for try await chunk in synthesize(text, language: "en-US") { all += chunk }
        return all
    }
}
