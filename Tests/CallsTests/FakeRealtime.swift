import Foundation
import LoopbackWebSocketServer
import Audio
import Synchronization

/// A fake OpenAI Realtime speech-to-speech server, as rude as the real one is fast.
///
/// Per connection: `session.created`/`session.updated` for the `session.update`, whose audio
/// format (`audio/pcmu` or `audio/pcma`) both sides then speak; a voice detector on the appended
/// audio (speech after 100 ms above the threshold, its end after
/// 500 ms below) that sends `speech_started`, `speech_stopped`, `committed` and the caller's
/// transcript (the next of `transcripts`); for each `response.create` an answer chosen by
/// `answer` (given the caller's last transcript and the response's instructions), its transcript
/// first and its audio in 100 ms deltas five times faster than real time (a tone of
/// ``FakeOpenAI/tone(for:)``, 40 ms per character), then `response.done` with usage; tool calls
/// as `response.output_item.added` + `response.function_call_arguments.done`; `response.cancel`
/// stops the audio and ends the response as cancelled.
final class FakeRealtime: Sendable {
    enum Answer: Sendable {
        case say(String)
        case callTool(name: String, arguments: String)
    }

    let server: LoopbackWebSocketServer
    private let transcripts: [String]
    private let answer: @Sendable (_ callerSaid: String?, _ instructions: String?, _ afterTool: Bool) -> Answer
    private let serving = Mutex<Task<Void, Never>?>(nil)
    /// The first session's connection is dropped once this many caller turns were committed.
    private let dropsFirstSessionAfterTurns: Int?

    init(transcripts: [String], dropsFirstSessionAfterTurns: Int? = nil, answer: @escaping @Sendable (_ callerSaid: String?, _ instructions: String?, _ afterTool: Bool) -> Answer) async throws {
        server = try await LoopbackWebSocketServer()
        self.transcripts = transcripts
        self.answer = answer
        self.dropsFirstSessionAfterTurns = dropsFirstSessionAfterTurns
        let task = Task { [self] in
            await withDiscardingTaskGroup { group in
                var served = 0
                while !Task.isCancelled {
                    guard let connection = await server.connection(number: served, timeout: .milliseconds(200)) else { continue }
                    served += 1
                    let first = served == 1
                    group.addTask { await self.serve(connection, first: first) }
                }
            }
        }
        serving.withLock { $0 = task }
    }

    func stop() {
        serving.withLock { $0?.cancel() }
        server.stop()
    }

    var url: String { "ws://127.0.0.1:\(server.port)/v1/realtime" }

    /// Every client event of every session, decoded, in order.
    var clientEvents: [[String: Any]] {
        server.connections.flatMap { connection in
            connection.receivedTexts.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    /// Items whose audio was sent, with their length in milliseconds.
    let answered = Mutex<[(item: String, text: String, milliseconds: Int)]>([])

    private func serve(_ connection: LoopbackWebSocketServer.Connection, first: Bool) async {
        var index = 0
        var speaking = false
        var voiced = 0
        var unvoiced = 0
        var turns = 0
        var responses = 0
        var callerSaid: String?
        var afterTool = false
        var responder: Task<Void, Never>?
        var aLaw = false
        while !connection.isClosed, !Task.isCancelled {
            let texts = connection.receivedTexts
            for text in texts[index...] {
                guard let event = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                switch event["type"] as? String {
                case "session.update":
                    let audio = ((event["session"] as? [String: Any])?["audio"] as? [String: Any])?["input"] as? [String: Any]
                    aLaw = (audio?["format"] as? [String: Any])?["type"] as? String == "audio/pcma"
                    connection.send(text: #"{"type":"session.created","event_id":"ev_1","session":{"type":"realtime","id":"sess_1"}}"#)
                    connection.send(text: #"{"type":"session.updated","event_id":"ev_2","session":{"type":"realtime","id":"sess_1"}}"#)
                case "input_audio_buffer.append":
                    let bytes = Data(base64Encoded: event["audio"] as? String ?? "") ?? Data()
                    let samples = bytes.map { Double(aLaw ? ALaw.decode($0) : MuLaw.decode($0)) }
                    let rms = samples.isEmpty ? 0 : (samples.reduce(0) { $0 + $1 * $1 } / Double(samples.count)).squareRoot()
                    let milliseconds = bytes.count / 8
                    if rms > 300 {
                        voiced += milliseconds
                        unvoiced = 0
                        if !speaking, voiced >= 100 {
                            speaking = true
                            connection.send(text: #"{"type":"input_audio_buffer.speech_started","event_id":"ev","audio_start_ms":0,"item_id":"in_\#(turns)"}"#)
                        }
                    } else if speaking {
                        unvoiced += milliseconds
                        if unvoiced >= 500 {
                            speaking = false
                            voiced = 0
                            let item = "in_\(turns)"
                            let said = transcripts[min(turns, transcripts.count - 1)]
                            turns += 1
                            callerSaid = said
                            connection.send(text: #"{"type":"input_audio_buffer.speech_stopped","event_id":"ev","audio_end_ms":0,"item_id":"\#(item)"}"#)
                            connection.send(text: #"{"type":"input_audio_buffer.committed","event_id":"ev","previous_item_id":null,"item_id":"\#(item)"}"#)
                            connection.send(text: #"{"type":"conversation.item.input_audio_transcription.completed","event_id":"ev","item_id":"\#(item)","content_index":0,"transcript":"\#(said)"}"#)
                            if first, turns == dropsFirstSessionAfterTurns {
                                connection.kill()
                                return
                            }
                        }
                    } else {
                        voiced = 0
                    }
                case "response.create":
                    responses += 1
                    let instructions = (event["response"] as? [String: Any])?["instructions"] as? String
                    let chosen = answer(callerSaid, instructions, afterTool)
                    afterTool = false
                    if case .callTool = chosen { afterTool = true }
                    let number = responses
                    let encode: @Sendable (Int16) -> UInt8 = aLaw ? ALaw.encode : MuLaw.encode
                    responder = Task { await self.respond(chosen, number: number, encode: encode, on: connection) }
                case "response.cancel":
                    responder?.cancel()
                    connection.send(text: #"{"type":"response.done","event_id":"ev","response":{"id":"resp_\#(responses)","status":"cancelled","output":[]}}"#)
                default:
                    break
                }
            }
            index = texts.count
            try? await Task.sleep(for: .milliseconds(5))
        }
        responder?.cancel()
    }

    private func respond(_ answer: Answer, number: Int, encode: @Sendable (Int16) -> UInt8, on connection: LoopbackWebSocketServer.Connection) async {
        let response = "resp_\(number)"
        let item = "item_\(number)"
        switch answer {
        case .callTool(let name, let arguments):
            let escaped = arguments.replacingOccurrences(of: "\"", with: "\\\"")
            connection.send(text: #"{"type":"response.created","event_id":"ev","response":{"id":"\#(response)","status":"in_progress"}}"#)
            connection.send(text: #"{"type":"response.output_item.added","event_id":"ev","response_id":"\#(response)","output_index":0,"item":{"id":"\#(item)","type":"function_call","name":"\#(name)","call_id":"call_\#(number)","arguments":""}}"#)
            connection.send(text: #"{"type":"response.function_call_arguments.done","event_id":"ev","response_id":"\#(response)","item_id":"\#(item)","output_index":0,"call_id":"call_\#(number)","arguments":"\#(escaped)"}"#)
            connection.send(text: #"{"type":"response.done","event_id":"ev","response":{"id":"\#(response)","status":"completed","usage":{"total_tokens":30,"input_tokens":20,"output_tokens":10,"input_token_details":{"text_tokens":20,"audio_tokens":0},"output_token_details":{"text_tokens":10,"audio_tokens":0}}}}"#)
        case .say(let text):
            connection.send(text: #"{"type":"response.created","event_id":"ev","response":{"id":"\#(response)","status":"in_progress"}}"#)
            connection.send(text: #"{"type":"response.output_audio_transcript.delta","event_id":"ev","response_id":"\#(response)","item_id":"\#(item)","output_index":0,"content_index":0,"delta":"\#(text)"}"#)
            let frequency = FakeOpenAI.tone(for: text)
            let codes = (0..<(8 * 40 * max(text.count, 10))).map { encode(Int16(5000 * sin(2 * Double.pi * frequency * Double($0) / 8000))) }
            answered.withLock { $0.append((item, text, codes.count / 8)) }
            for start in stride(from: 0, to: codes.count, by: 800) {
                if Task.isCancelled { return }
                let piece = Data(codes[start..<min(start + 800, codes.count)]).base64EncodedString()
                connection.send(text: #"{"type":"response.output_audio.delta","event_id":"ev","response_id":"\#(response)","item_id":"\#(item)","output_index":0,"content_index":0,"delta":"\#(piece)"}"#)
                try? await Task.sleep(for: .milliseconds(20))
            }
            if Task.isCancelled { return }
            connection.send(text: #"{"type":"response.output_audio.done","event_id":"ev","response_id":"\#(response)","item_id":"\#(item)","output_index":0,"content_index":0}"#)
            connection.send(text: #"{"type":"response.done","event_id":"ev","response":{"id":"\#(response)","status":"completed","usage":{"total_tokens":500,"input_tokens":300,"output_tokens":200,"input_token_details":{"text_tokens":100,"audio_tokens":200},"output_token_details":{"text_tokens":50,"audio_tokens":150}}}}"#)
        }
    }
}
