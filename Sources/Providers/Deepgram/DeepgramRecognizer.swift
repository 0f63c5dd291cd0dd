import Foundation
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
        let session = StreamingRecognition(
            provider: "deepgram",
            configuration: WebSocketConfiguration(
                url: listenURL(hints: hints), headers: [("Authorization", "Token \(settings.apiKey)")],
                pingInterval: .seconds(5), idleTimeout: .seconds(15), handshakeTimeout: settings.connectTimeout,
                reconnects: false, caFile: settings.caFile),
            threadName: "ura-deepgram", sampleRate: sampleRate, opening: [], closing: [#"{"type":"CloseStream"}"#],
            finalTimeout: settings.finalTimeout, meter: meter,
            // Little-endian PCM, as `linear16` means (the hosts ura runs on are little-endian).
            makeEncoder: { { samples in .binary(samples.withUnsafeBytes { Data($0) }) } })
        await session.run(audio, reading: DeepgramReading(), into: continuation)
    }
}
