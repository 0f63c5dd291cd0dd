import Synchronization
import Voice

/// A ``SpeechRecognizer`` that tries recognisers in order until one transcribes the utterance.
///
/// The utterance's audio is kept as it arrives, so a recogniser taking over after another
/// failed gets all of it from the start (then the rest live). A recogniser that already
/// yielded a transcript is not replaced (see ``FallbackBrain``). Audio is handed over at the
/// first recogniser's ``sampleRate``: every member must want the same rate (the pipeline
/// resamples to it once).
public struct FallbackRecognizer: SpeechRecognizer {
    public let name: String
    public let sampleRate: Int
    let recognizers: [any SpeechRecognizer]
    let stats: ProviderStats?

    /// - Precondition: `recognizers` is not empty (ura's configuration checks the chain).
    public init(_ recognizers: [any SpeechRecognizer], stats: ProviderStats? = nil) {
        precondition(!recognizers.isEmpty, "a fallback chain needs at least one recogniser")
        self.recognizers = recognizers
        self.stats = stats
        self.name = recognizers.map(\.name).joined(separator: ">")
        self.sampleRate = recognizers[0].sampleRate
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let tee = AudioTee()
        let pump = Task {
            for await chunk in audio { tee.append(chunk) }
            tee.finish()
        }
        let transcripts = Fallback.run(role: "stt", members: recognizers, name: \.name, stats: stats) { recognizer in
            recognizer.transcribe(tee.makeStream(), hints: hints)
        }
        // The pump belongs to the returned stream: it stops when the consumer is done with it.
        let (stream, continuation) = AsyncThrowingStream<Transcript, any Error>.makeStream()
        let relay = Task {
            do {
                for try await transcript in transcripts { continuation.yield(transcript) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            pump.cancel()
        }
        continuation.onTermination = { _ in
            relay.cancel()
            pump.cancel()
        }
        return stream
    }
}

/// One utterance's audio, kept and forwarded to whichever recogniser currently listens.
final class AudioTee: Sendable {
    private struct State {
        var chunks: [[Int16]] = []
        var finished = false
        var listener: AsyncStream<[Int16]>.Continuation?
    }

    private let state = Mutex(State())

    func append(_ chunk: [Int16]) {
        state.withLock { state in
            state.chunks.append(chunk)
            state.listener?.yield(chunk)
        }
    }

    func finish() {
        state.withLock { state in
            state.finished = true
            state.listener?.finish()
        }
    }

    /// A stream of everything so far and then the rest; the previous listener's stream ends.
    func makeStream() -> AsyncStream<[Int16]> {
        let (stream, continuation) = AsyncStream<[Int16]>.makeStream()
        state.withLock { state in
            state.listener?.finish()
            for chunk in state.chunks { continuation.yield(chunk) }
            if state.finished { continuation.finish() }
            state.listener = continuation
        }
        return stream
    }
}
