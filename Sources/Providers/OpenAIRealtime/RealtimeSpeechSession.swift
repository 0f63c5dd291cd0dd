import Audio
import Foundation
import Media
import Synchronization
import Voice
import WebSocket

/// One OpenAI Realtime speech-to-speech session over the WebSocket (`/v1/realtime?model=…`).
///
/// On a G.711 line (8 kHz) the audio goes both ways as `audio/pcmu`: the caller's and the
/// model's bytes cross without resampling (µ-law decoded and encoded again is the same byte).
/// Other lines use `audio/pcm` at 24 kHz, resampled. The model's turn detection is on, but it
/// neither answers nor interrupts by itself (`create_response` and `interrupt_response` off):
/// ura asks for each answer and does barge-in on the line. Tool calls are checked by
/// ``CallTools`` (the caller may have talked the model into anything); their result goes back
/// to the model, and the call actions come out as events. Usage goes to the meter per
/// response: text tokens as `openai-realtime`, audio tokens as `openai-realtime-audio`.
final class RealtimeSpeechSession: SpeechToSpeechSession {
    let events: AsyncStream<SpeechToSpeechEvent>
    private let client: WebSocketClient
    private let reader: Task<Void, Never>
    private let lineRate: Int
    /// Resamplers for lines that are not 8 kHz (the line's rate to 24 kHz and back); each is
    /// used by one side only, the lock keeps the class sendable.
    private let upsampler: Mutex<Resampler?>

    init(settings: RealtimeSettings, instructions: String, conversation: Conversation, lineRate: Int, tools: CallTools, meter: CostMeter?) {
        self.lineRate = lineRate
        let pcmu = lineRate == 8000
        upsampler = Mutex(pcmu ? nil : try? Resampler(from: SampleRate(hertz: lineRate), to: SampleRate(hertz: 24000)))
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "model", value: settings.model)]
        client = WebSocketClient(configuration: WebSocketConfiguration(
            url: components.url ?? settings.url, headers: settings.headers, pingInterval: .seconds(5), idleTimeout: .seconds(15),
            handshakeTimeout: settings.connectTimeout, reconnects: false, caFile: settings.caFile))
        client.start(threadName: "ura-realtime")
        client.send(text: RealtimeSessionSetup.update(settings: settings, instructions: instructions, language: conversation.language, pcmu: pcmu))
        for message in conversation.messages {
            if let item = RealtimeSessionSetup.historyItem(message) { client.send(text: item) }
        }
        let (events, continuation) = AsyncStream<SpeechToSpeechEvent>.makeStream()
        self.events = events
        let client = client
        reader = Task {
            var reading = RealtimeServerEvents()
            let downsampler = pcmu ? nil : try? Resampler(from: SampleRate(hertz: 24000), to: SampleRate(hertz: lineRate))
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
                            let samples = pcmu ? bytes.map(MuLawCodec.decode) : downsampler?.process(pcm.decode(bytes)) ?? []
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
        let audio: Data
        if lineRate == 8000 {
            audio = Data(samples.map(MuLawCodec.encode))
        } else {
            let wire = upsampler.withLock { $0?.process(samples) } ?? []
            audio = wire.withUnsafeBytes { Data($0) }
        }
        guard !audio.isEmpty else { return }
        client.send(text: #"{"type":"input_audio_buffer.append","audio":"\#(audio.base64EncodedString())"}"#)
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
