import Foundation
import Synchronization
import Voice
import WebSocket

/// The most of a caller's words a provider's messages are read for: a turn is at most
/// `MAX_UTTERANCE_SECONDS` of speech, a few hundred words; a server that sends more (or one
/// message of megabytes) must not grow a call's memory, its record or its live events.
package enum TranscriptLimit {
    package static let bytes = 4000

    /// `text`, cut to the limit (at a character, never inside one).
    package static func capped(_ text: some StringProtocol) -> String {
        guard text.utf8.count > bytes else { return String(text) }
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            used += text[index].utf8.count
            if used > bytes { break }
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// `text` + `more`, as far as the limit allows.
    package static func appending(_ more: some StringProtocol, to text: String) -> String {
        text.utf8.count >= bytes ? text : capped(text + more)
    }
}

/// One step of a streaming recogniser's reading of its server's messages.
package enum RecognitionStep: Equatable {
    case nothing
    case partial(String)
    case final(String)
    case failed(String)
}

/// What a streaming recogniser makes of its server's messages, one utterance at a time.
package protocol RecognitionReading: Sendable {
    mutating func read(_ message: Data) -> RecognitionStep
    /// How a session that ended without a final turns out (the connection closed with `reason`):
    /// the words so far, or a failure when there are none and the close was not a normal end.
    func ending(reason: String) -> Result<Transcript, ProviderError>
}

/// One utterance over a recognition provider's WebSocket (Deepgram, OpenAI Realtime).
///
/// The messages of `opening` go first, then each chunk of audio as `encode` makes it, then
/// `closing` once the pipeline ends the audio; they are queued before the handshake completes,
/// so the connection overlaps the caller's first words. Partials are yielded as they come; the
/// session ends at the provider's final, at a failure, or when the final has not come within
/// `finalTimeout` of the end of the audio (then the last partial is the final, if there was one). Seconds of audio of a session the provider accepted
/// go to the meter.
struct StreamingRecognition: Sendable {
    /// How a chunk of audio travels.
    enum Message: Sendable {
        case text(String)
        case binary(Data)
    }

    let provider: String
    let configuration: WebSocketConfiguration
    let threadName: String
    let sampleRate: Int
    let opening: [String]
    let closing: [String]
    let finalTimeout: Duration
    let meter: CostMeter?
    /// Made inside the sending task, so it may keep state (a resampler) without sharing it.
    let makeEncoder: @Sendable () -> (([Int16]) -> Message?)

    func run<Reading: RecognitionReading>(
        _ audio: AsyncStream<[Int16]>, reading: Reading, into continuation: AsyncThrowingStream<Transcript, any Error>.Continuation
    ) async {
        let client = WebSocketClient(configuration: configuration)
        client.start(threadName: threadName)
        for message in opening { client.send(text: message) }
        let progress = Progress()
        let provider = provider
        let (closing, finalTimeout, makeEncoder) = (closing, finalTimeout, makeEncoder)
        let outcome: Result<Transcript, ProviderError>? = await withTaskGroup(of: Result<Transcript, ProviderError>?.self) { group in
            group.addTask {
                let encode = makeEncoder()
                for await samples in audio {
                    switch encode(samples) {
                    case .text(let text)?: client.send(text: text)
                    case .binary(let data)?: client.send(binary: data)
                    case nil: break
                    }
                    progress.samples.add(samples.count, ordering: .relaxed)
                }
                guard !Task.isCancelled else { return nil }
                for message in closing { client.send(text: message) }
                // The provider owes the final now; a session left waiting would hold the turn.
                try? await Task.sleep(for: finalTimeout)
                guard !Task.isCancelled else { return nil }
                let words = progress.lastPartial.withLock { $0 }
                return words.isEmpty ? .failure(.timedOut(provider: provider)) : .success(Transcript(text: words, isFinal: true))
            }
            group.addTask {
                var reading = reading
                for await event in client.events {
                    switch event {
                    case .connected: progress.connected.store(true, ordering: .relaxed)
                    case .binary, .reconnecting: continue
                    case .text(let message):
                        switch reading.read(message) {
                        case .nothing: continue
                        case .partial(let text):
                            progress.lastPartial.withLock { $0 = text }
                            continuation.yield(Transcript(text: text, isFinal: false))
                        case .final(let text): return .success(Transcript(text: text, isFinal: true))
                        case .failed(let reason): return .failure(.connection(provider: provider, reason: reason))
                        }
                    case .disconnected(let reason):
                        return reading.ending(reason: reason)
                    }
                }
                return nil
            }
            return await group.firstResult()
        }
        await client.stop()
        // Only a session the provider accepted is billed (audio queued for a refused one never left).
        if progress.connected.load(ordering: .relaxed) {
            meter?.record(provider, ProviderUsage(audioSeconds: Double(progress.samples.load(ordering: .relaxed)) / Double(sampleRate)))
        }
        switch outcome {
        case .success(let transcript)?:
            continuation.yield(transcript)
            continuation.finish()
        case .failure(let error)?:
            continuation.finish(throwing: error)
        case nil:
            // Cancelled: the consumer has gone.
            continuation.finish()
        }
    }

    /// What the session's tasks report to each other and to the end of the session.
    private final class Progress: Sendable {
        let connected = Atomic(false)
        let samples = Atomic(0)
        let lastPartial = Mutex("")
    }
}
