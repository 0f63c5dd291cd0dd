import Foundation
import Synchronization
import Voice
import WebSocket

/// A ``SpeechSynthesizer`` on ElevenLabs' streaming text-to-speech socket
/// (`/v1/text-to-speech/{voice}/stream-input`).
///
/// Each piece of the reply the pipeline hands over (a sentence, or a clause of a long one, as
/// soon as the LLM has written it) is one session: the opening message, the text with `flush`
/// (generate now, do not wait for more), then the empty text that ends the input. Audio comes
/// back in base64 pieces as it is generated, µ-law 8 kHz by default: on a µ-law line the caller
/// gets ElevenLabs' bytes unchanged. The messages are queued before the handshake completes, so
/// the text leaves with the first packet the connection can carry.
///
/// A session that fails or stays silent past the first-audio deadline before any audio throws
/// (the fallback chain takes over); one that breaks after audio throws
/// ``ProviderError/streamAborted(provider:)`` (the pipeline's failure policy decides). Characters
/// of sessions ElevenLabs accepted go to the meter.
public struct ElevenLabsSpeech: SpeechSynthesizer {
    public var sampleRate: Int { settings.outputFormat.sampleRate }
    public let name: String
    let settings: ElevenLabsSettings
    let meter: CostMeter?

    public init(settings: ElevenLabsSettings, meter: CostMeter? = nil) {
        self.settings = settings
        self.meter = meter
        name = "tts:elevenlabs:\(settings.model)"
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let (audio, continuation) = AsyncThrowingStream<[Int16], any Error>.makeStream()
        let session = Task { await run(text, language: language, into: continuation) }
        continuation.onTermination = { _ in session.cancel() }
        return audio
    }

    /// The session's URL: voice, model, output format, and the language for models that take one.
    func streamURL(language: String) -> URL {
        let base = settings.url.appending(path: settings.voice).appending(path: "stream-input")
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false) ?? URLComponents()
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "model_id", value: settings.model),
            URLQueryItem(name: "output_format", value: settings.outputFormat.rawValue),
        ]
        // Only the v2.5 models accept `language_code`; the others refuse the session with it.
        let family = language.split(separator: "-").first.map { String($0).lowercased() } ?? ""
        if settings.model.contains("v2_5"), family.count == 2 { items.append(URLQueryItem(name: "language_code", value: family)) }
        components.queryItems = items
        return components.url ?? base
    }

    private struct Opening: Encodable {
        struct VoiceSettings: Encodable {
            var stability = 0.5
            var similarity_boost = 0.75
            var speed: Double
        }
        var text = " "
        var voice_settings: VoiceSettings
    }

    private struct TextInput: Encodable {
        var text: String
        var flush: Bool?
    }

    /// The three messages of a session: opening, the text to generate now, end of input.
    func messages(for text: String) -> [String] {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) -> String { String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) }
        // ElevenLabs wants input text to end with a space (it marks where a word ends).
        return [
            json(Opening(voice_settings: .init(speed: settings.speed))),
            json(TextInput(text: text.hasSuffix(" ") ? text : text + " ", flush: true)),
            json(TextInput(text: "")),
        ]
    }

    private enum Ending {
        case finished
        case failed(ProviderError)
        case silent
    }

    private func run(_ text: String, language: String, into continuation: AsyncThrowingStream<[Int16], any Error>.Continuation) async {
        let client = WebSocketClient(configuration: WebSocketConfiguration(
            url: streamURL(language: language), headers: [("xi-api-key", settings.apiKey)],
            pingInterval: .seconds(5), idleTimeout: .seconds(15), handshakeTimeout: settings.connectTimeout,
            reconnects: false, caFile: settings.caFile))
        client.start(threadName: "ura-elevenlabs")
        for message in messages(for: text) { client.send(text: message) }
        let progress = SessionProgress()
        let format = settings.outputFormat
        let deadline = settings.connectTimeout + settings.firstAudioTimeout
        let ending: Ending? = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                var reading = ElevenLabsReading(format: format)
                for await event in client.events {
                    switch event {
                    case .connected: progress.connected.store(true, ordering: .relaxed)
                    case .binary, .reconnecting: continue
                    case .text(let message):
                        switch reading.read(message) {
                        case .nothing: continue
                        case .audio(let samples):
                            progress.spoke.store(true, ordering: .relaxed)
                            continuation.yield(samples)
                        case .finished(let samples):
                            if !samples.isEmpty { continuation.yield(samples) }
                            return .finished
                        case .failed(let error):
                            return .failed(error)
                        }
                    case .disconnected(let reason):
                        // A normal close after audio ends the sentence even if `isFinal` was lost.
                        if reason == "server closed with 1000", progress.spoke.load(ordering: .relaxed) { return .finished }
                        return .failed(.connection(provider: "elevenlabs", reason: reason))
                    }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return Task.isCancelled || progress.spoke.load(ordering: .relaxed) ? nil : .silent
            }
            // A timer that ends after audio came gives nil: the reader's ending is waited for.
            return await group.firstResult()
        }
        await client.stop()
        if progress.connected.load(ordering: .relaxed) { meter?.record("elevenlabs", ProviderUsage(characters: text.count)) }
        let spoke = progress.spoke.load(ordering: .relaxed)
        switch ending {
        case .finished?, nil:
            continuation.finish()
        case .failed(let error)?:
            continuation.finish(throwing: spoke ? ProviderError.streamAborted(provider: "elevenlabs") : error)
        case .silent?:
            continuation.finish(throwing: ProviderError.firstByteTimeout(provider: "elevenlabs"))
        }
    }
}

/// What a session has reached, set by its reader and read by its timer and at its end.
private final class SessionProgress: Sendable {
    let connected = Atomic(false)
    let spoke = Atomic(false)
}
