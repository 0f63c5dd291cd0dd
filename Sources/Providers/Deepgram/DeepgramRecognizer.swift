import Foundation
import Synchronization
import Voice
import WebSocket

/// A streaming ``SpeechRecognizer`` on Deepgram's live API (`/v1/listen` over a WebSocket).
///
/// One utterance is one session: audio goes up as it arrives (16-bit little-endian PCM as
/// BINARY messages, so the connection and TLS handshake overlap the caller's first words),
/// interim results come back as partial transcripts, and the utterance ends at Deepgram's own
/// endpoint (`speech_final`, or `UtteranceEnd`) or when the pipeline ends the audio (then
/// `CloseStream` makes Deepgram flush its last words before closing). A session that fails
/// before any words were heard throws (the fallback chain takes over with the kept audio); one
/// that breaks afterwards ends with the words so far as final, since a recogniser that spoke
/// cannot be replaced. Seconds of audio sent go to the meter.
public struct DeepgramRecognizer: SpeechRecognizer {
    public let sampleRate: Int
    public let name: String
    let settings: DeepgramSettings
    let meter: CostMeter?

    /// - Parameter sampleRate: 16 kHz by default, the rate of ura's other recognisers (a fallback
    ///   chain hands every member the same audio).
    public init(settings: DeepgramSettings, sampleRate: Int = 16000, meter: CostMeter? = nil) {
        self.settings = settings
        self.sampleRate = sampleRate
        self.meter = meter
        name = "stt:deepgram:\(settings.model)"
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let (transcripts, continuation) = AsyncThrowingStream<Transcript, any Error>.makeStream()
        let session = Task { await run(audio, hints: hints, into: continuation) }
        continuation.onTermination = { _ in session.cancel() }
        return transcripts
    }

    /// The session's URL: the audio's format, interim results, Deepgram's endpointing, the
    /// language and the phrases the dialog expects (as key terms).
    func listenURL(hints: RecognitionHints) -> URL {
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "model", value: settings.model),
            URLQueryItem(name: "encoding", value: "linear16"),
            URLQueryItem(name: "sample_rate", value: String(sampleRate)),
            URLQueryItem(name: "channels", value: "1"),
            URLQueryItem(name: "interim_results", value: "true"),
            URLQueryItem(name: "punctuate", value: "true"),
            URLQueryItem(name: "endpointing", value: String(settings.endpointingMilliseconds)),
            URLQueryItem(name: "utterance_end_ms", value: "1000"),
        ]
        if !hints.language.isEmpty { items.append(URLQueryItem(name: "language", value: hints.language)) }
        // Nova-3 takes key terms; earlier models take keywords.
        let boost = settings.model.hasPrefix("nova-3") ? "keyterm" : "keywords"
        for phrase in hints.phrases.prefix(20) where !phrase.isEmpty { items.append(URLQueryItem(name: boost, value: phrase)) }
        components.queryItems = items
        return components.url ?? settings.url
    }

    private func run(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints, into continuation: AsyncThrowingStream<Transcript, any Error>.Continuation) async {
        let client = WebSocketClient(configuration: WebSocketConfiguration(
            url: listenURL(hints: hints), headers: [("Authorization", "Token \(settings.apiKey)")],
            pingInterval: .seconds(5), idleTimeout: .seconds(15), handshakeTimeout: settings.connectTimeout,
            reconnects: false, caFile: settings.caFile))
        client.start(threadName: "ura-deepgram")
        let sent = SampleCount()
        var reading = DeepgramReading()
        var connected = false
        var outcome: Result<Transcript, ProviderError>?
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await samples in audio {
                    // Little-endian PCM, as `linear16` means (the hosts ura runs on are little-endian).
                    client.send(binary: samples.withUnsafeBytes { Data($0) })
                    sent.add(samples.count)
                }
                if !Task.isCancelled { client.send(text: #"{"type":"CloseStream"}"#) }
            }
            for await event in client.events {
                switch event {
                case .connected: connected = true
                case .binary, .reconnecting: continue
                case .text(let message):
                    switch reading.read(message) {
                    case .nothing: continue
                    case .partial(let text): continuation.yield(Transcript(text: text, isFinal: false))
                    case .final(let text): outcome = .success(Transcript(text: text, isFinal: true))
                    case .failed(let reason): outcome = .failure(.connection(provider: "deepgram", reason: reason))
                    }
                case .disconnected(let reason):
                    outcome = outcome ?? reading.ending(reason: reason)
                }
                if outcome != nil { break }
            }
            group.cancelAll()
        }
        await client.stop()
        // Only a session Deepgram accepted is billed (audio queued for a refused one never left).
        if connected { meter?.record("deepgram", ProviderUsage(audioSeconds: Double(sent.value) / Double(sampleRate))) }
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
}

/// Samples sent so far, counted by the sender and read once the session is over.
private final class SampleCount: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ samples: Int) { count.add(samples, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
