import Audio
import Foundation
import Synchronization
import Voice
import WebSocket

/// One OpenAI Realtime speech-to-speech session over the WebSocket (`/v1/realtime?model=…`).
///
/// On a G.711 line the audio goes both ways in the line's own codec (`audio/pcmu` or
/// `audio/pcma`): the caller's and the model's bytes cross without resampling (G.711 decoded and
/// encoded again is the same byte). Other lines use `audio/pcm` at 24 kHz, resampled. The model's turn detection is on, but it
/// neither answers nor interrupts by itself (`create_response` and `interrupt_response` off):
/// ura asks for each answer and does barge-in on the line. Tool calls are checked by
/// ``CallTools`` (the caller may have talked the model into anything); their result goes back
/// to the model, and the call actions come out as events. Usage goes to the meter per
/// response: text tokens as `openai-realtime`, audio tokens as `openai-realtime-audio`.
final class RealtimeSpeechSession: SpeechToSpeechSession {
    let events: AsyncStream<SpeechToSpeechEvent>
    private let client: WebSocketClient
    private let reader: Task<Void, Never>
    private let wire: RealtimeAudioFormat
    /// The line's rate to 24 kHz for a linear line (each direction has its own resampler, used by
    /// one side only; the lock keeps the class sendable).
    private let upsampler: Mutex<Resampler?>

    init(settings: RealtimeSettings, instructions: String, conversation: Conversation, wire: RealtimeAudioFormat, tools: CallTools, meter: CostMeter?) {
        self.wire = wire
        upsampler = Mutex(wire.lineRate.flatMap { try? Resampler(from: SampleRate(hertz: $0), to: SampleRate(hertz: 24000)) })
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "model", value: settings.model)]
        client = WebSocketClient(configuration: WebSocketConfiguration(
            url: components.url ?? settings.url, headers: settings.headers, pingInterval: .seconds(5), idleTimeout: .seconds(15),
            handshakeTimeout: settings.connectTimeout, reconnects: false, caFile: settings.caFile))
        client.start(threadName: "ura-realtime")
        client.send(text: RealtimeSessionSetup.update(settings: settings, instructions: instructions, language: conversation.language, format: wire))
        for message in conversation.messages {
            if let item = RealtimeSessionSetup.historyItem(message) { client.send(text: item) }
        }
        let (events, continuation) = AsyncStream<SpeechToSpeechEvent>.makeStream()
        self.events = events
        let client = client
        reader = Task {
            var reading = RealtimeServerEvents()
            let downsampler = wire.lineRate.flatMap { try? Resampler(from: SampleRate(hertz: 24000), to: SampleRate(hertz: $0)) }
            var pcm = PCMByteDecoder()
            for await event in client.events {
                switch event {
                case .connected, .binary, .reconnecting:
                    continue
                case .disconnected(let reason):
                    continuation.yield(.failed(reason))
                    continuation.finish()
                    return
                case .text(let message):
                    for step in reading.read(message) {
                        switch step {
                        case .event(let event):
                            continuation.yield(event)
                        case .audio(let item, let bytes):
                            let samples: [Int16] = switch wire {
                            case .pcmu: bytes.map(MuLaw.decode)
                            case .pcma: bytes.map(ALaw.decode)
                            case .pcm: downsampler?.process(pcm.decode(bytes)) ?? []
                            }
                            if !samples.isEmpty { continuation.yield(.audio(item: item, samples: samples)) }
                        case .toolCall(let call):
                            let outcome = tools.action(for: call)
                            client.send(text: RealtimeSessionSetup.toolOutput(callID: call.id, output: CallTools.result(for: outcome)))
                            if case .success(let action) = outcome { continuation.yield(.action(action)) }
                        case .usage(let text, let audio):
                            meter?.record("openai-realtime", text)
                            meter?.record("openai-realtime-audio", audio)
                        case .problem(let problem):
                            tools.logger.warning("realtime model reported a problem", metadata: ["problem": "\(problem)"])
                        }
                    }
                }
            }
            continuation.finish()
        }
    }

    func append(_ samples: [Int16]) {
        let audio: Data = switch wire {
        case .pcmu: Data(samples.map(MuLaw.encode))
        case .pcma: Data(samples.map(ALaw.encode))
        case .pcm: (upsampler.withLock { $0?.process(samples) } ?? []).withUnsafeBytes { Data($0) }
        }
        guard !audio.isEmpty else { return }
        client.send(text: RealtimeSessionSetup.append(audio))
    }

    func respond(instructions: String?) {
        client.send(text: RealtimeSessionSetup.responseCreate(instructions: instructions))
    }

    func addCallerText(_ text: String) {
        if let item = RealtimeSessionSetup.historyItem(.init(role: .caller, text: text)) { client.send(text: item) }
    }

    func cancelResponse() {
        client.send(text: #"{"type":"response.cancel"}"#)
    }

    func truncate(item: String, heardMilliseconds: Int) {
        client.send(text: RealtimeSessionSetup.truncate(item: item, audioEndMilliseconds: heardMilliseconds))
    }

    func close() async {
        reader.cancel()
        await client.stop()
    }
}

/// How audio crosses a speech-to-speech session: a G.711 line's own codec, or 24 kHz PCM.
enum RealtimeAudioFormat: Equatable {
    case pcmu
    case pcma
    case pcm(lineRate: Int)

    init(lineRate: Int, encoding: LineEncoding) {
        switch (encoding, lineRate) {
        case (.muLaw, 8000): self = .pcmu
        case (.aLaw, 8000): self = .pcma
        default: self = .pcm(lineRate: lineRate)
        }
    }

    /// The line's rate when it must be resampled to and from the API's 24 kHz.
    var lineRate: Int? {
        if case .pcm(let rate) = self { rate } else { nil }
    }

    /// The format as `session.update` names it.
    var type: String {
        switch self {
        case .pcmu: "audio/pcmu"
        case .pcma: "audio/pcma"
        case .pcm: "audio/pcm"
        }
    }
}
