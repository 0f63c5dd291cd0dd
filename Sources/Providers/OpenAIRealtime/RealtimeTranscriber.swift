import Audio
import Foundation
import Voice
import WebSocket

/// A streaming ``SpeechRecognizer`` on an OpenAI Realtime transcription session
/// (`/v1/realtime?intent=transcription`).
///
/// One utterance is one session: `session.update` sets a transcription session with ura's own
/// turn detection (the server's is off: the pipeline decides when the caller is done), the
/// audio goes up as `input_audio_buffer.append` events as it arrives (24 kHz PCM, the only rate
/// the API takes), and the end of the audio commits the buffer. Transcript deltas are partials;
/// the completed transcript is the final. A session that fails before any words throws (the
/// fallback chain takes over with the kept audio); one that breaks after ends with the words so
/// far. Seconds of audio sent go to the meter.
public struct RealtimeTranscriber: SpeechRecognizer {
    public let sampleRate: Int
    public let name: String
    let settings: RealtimeSettings
    let meter: CostMeter?

    /// The rate of the session's audio: the Realtime API takes 24 kHz PCM only.
    static let wireRate = 24000

    /// - Parameter sampleRate: 16 kHz by default, the rate of ura's other recognisers (a fallback
    ///   chain hands every member the same audio); it is resampled to 24 kHz for the wire.
    public init(settings: RealtimeSettings, sampleRate: Int = 16000, meter: CostMeter? = nil) {
        self.settings = settings
        self.sampleRate = sampleRate
        self.meter = meter
        name = "stt:openai-realtime:\(settings.transcriptionModel)"
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        let (transcripts, continuation) = AsyncThrowingStream<Transcript, any Error>.makeStream()
        let inputRate = sampleRate
        let session = StreamingRecognition(
            provider: "openai-realtime",
            configuration: WebSocketConfiguration(
                url: transcriptionURL, headers: settings.headers, pingInterval: .seconds(5), idleTimeout: .seconds(15),
                handshakeTimeout: settings.connectTimeout, reconnects: false, caFile: settings.caFile),
            threadName: "ura-realtime-stt", sampleRate: sampleRate, opening: [sessionUpdate(hints: hints)],
            closing: [#"{"type":"input_audio_buffer.commit"}"#], finalTimeout: settings.finalTimeout, meter: meter,
            makeEncoder: {
                let resampler = try? Resampler(from: SampleRate(hertz: inputRate), to: SampleRate(hertz: Self.wireRate))
                return { samples in
                    let wire = inputRate == Self.wireRate ? samples : resampler?.process(samples) ?? []
                    guard !wire.isEmpty else { return nil }
                    return .text(RealtimeSessionSetup.append(wire.withUnsafeBytes { Data($0) }))
                }
            })
        let task = Task { await session.run(audio, reading: RealtimeTranscriptionReading(), into: continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return transcripts
    }

    var transcriptionURL: URL {
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "intent", value: "transcription")]
        return components.url ?? settings.url
    }

    private struct SessionUpdate: Encodable {
        struct Session: Encodable {
            struct Audio: Encodable {
                struct Input: Encodable {
                    struct Format: Encodable {
                        var type = "audio/pcm"
                        var rate = RealtimeTranscriber.wireRate
                    }
                    struct Transcription: Encodable {
                        var model: String
                        var language: String?
                        var prompt: String?
                    }
                    var format = Format()
                    var transcription: Transcription

                    // `turn_detection` is null: ura's endpointing ends the utterance, not the server's.
                    func encode(to encoder: any Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encode(format, forKey: .format)
                        try container.encode(transcription, forKey: .transcription)
                        try container.encodeNil(forKey: .turn_detection)
                    }

                    enum CodingKeys: String, CodingKey { case format, transcription, turn_detection }
                }
                var input: Input
            }
            var type = "transcription"
            var audio: Audio
        }
        var type = "session.update"
        var session: Session
    }

    /// The session's configuration: model, the call's language, and the dialog's phrases as the prompt.
    func sessionUpdate(hints: RecognitionHints) -> String {
        let family = hints.language.split(separator: "-").first.map { String($0).lowercased() }
        let phrases = hints.phrases.prefix(20).joined(separator: ", ")
        let prompt = [hints.prompt, phrases.isEmpty ? nil : phrases].compactMap { $0 }.joined(separator: ". ")
        let update = SessionUpdate(session: .init(audio: .init(input: .init(transcription: .init(
            model: settings.transcriptionModel, language: family?.count == 2 ? family : nil, prompt: prompt.isEmpty ? nil : prompt)))))
        return String(decoding: (try? JSONEncoder().encode(update)) ?? Data(), as: UTF8.self)
    }
}
