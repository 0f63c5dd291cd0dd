import Synchronization
import Voice

/// A recogniser that "hears" scripted text: for tests and benchmarks, no model involved.
///
/// Each utterance takes the next entry of `script` (the last one repeats). While audio flows it
/// yields the entry's words one by one as partials, one per `framesPerWord` frames; when the
/// audio ends it waits `finalDelay` and yields the whole entry as final. A `failure` is thrown
/// instead of the final. With `endpointsAfter` it behaves like a streaming recogniser that
/// endpoints on its own: the final comes after that many frames, even while audio still flows.
public final class ScriptedRecognizer: SpeechRecognizer {
    public let sampleRate: Int
    public let name = "scripted"
    private let script: [String]
    private let framesPerWord: Int
    private let finalDelay: Duration
    private let failure: (any Error & Sendable)?
    private let endpointsAfter: Int?
    private let state = Mutex<(utterances: Int, samples: Int, hints: [RecognitionHints])>((0, 0, []))

    public init(
        sampleRate: Int = 16000, script: [String], framesPerWord: Int = 10, finalDelay: Duration = .zero,
        failure: (any Error & Sendable)? = nil, endpointsAfter frames: Int? = nil
    ) {
        self.endpointsAfter = frames
        self.sampleRate = sampleRate
        self.script = script
        self.framesPerWord = framesPerWord
        self.finalDelay = finalDelay
        self.failure = failure
    }

    /// Utterances started so far.
    public var utterances: Int { state.withLock { $0.utterances } }
    /// Samples received over all utterances.
    public var samplesHeard: Int { state.withLock { $0.samples } }
    /// The hints of every utterance, in order.
    public var hintsSeen: [RecognitionHints] { state.withLock { $0.hints } }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let index = state.withLock { state in
            state.hints.append(hints)
            defer { state.utterances += 1 }
            return state.utterances
        }
        let text = script.isEmpty ? "" : script[min(index, script.count - 1)]
        let words = text.split(separator: " ").map(String.init)
        let time = FakeTime.current
        return time.stream { [self] continuation in
            var frames = 0
            var said = 0
            for await frame in audio {
                state.withLock { $0.samples += frame.count }
                frames += 1
                if frames % max(framesPerWord, 1) == 0, said < words.count {
                    said += 1
                    continuation.yield(Transcript(text: words.prefix(said).joined(separator: " "), isFinal: false))
                }
                if let endpointsAfter, frames >= endpointsAfter { break }
            }
            try await time.wait(finalDelay)
            if let failure { throw failure }
            continuation.yield(Transcript(text: text, isFinal: true, confidence: 0.9))
        }
    }
}
