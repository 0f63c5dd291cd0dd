import Foundation
import LoopbackWebSocketServer
import Testing
import Voice
@testable import Providers

/// OpenAI Realtime transcription sessions against a fake that speaks the protocol:
/// `session.update` with a transcription session, `input_audio_buffer.append` / `commit`,
/// transcript deltas and the completed transcript, error events and closes.
@Suite(.timeLimit(.minutes(1))) struct RealtimeTranscriberTests {
    let frame: [Int16] = (0..<320).map { Int16(($0 % 40) * 200 - 4000) }

    func transcriber(_ server: LoopbackWebSocketServer, finalTimeout: Duration = .seconds(5)) -> RealtimeTranscriber {
        RealtimeTranscriber(settings: RealtimeSettings(
            url: URL(string: "ws://127.0.0.1:\(server.port)/v1/realtime")!, apiKey: "sk-test", finalTimeout: finalTimeout))
    }

    func collect(_ transcriber: RealtimeTranscriber, frames: Int, finishAudio: Bool, hints: RecognitionHints = RecognitionHints(language: "pt-BR"))
        -> (Task<[Transcript], any Error>, AsyncStream<[Int16]>.Continuation)
    {
        transcribing(transcriber, frame: frame, frames: frames, finishAudio: finishAudio, hints: hints)
    }

    static func events(_ connection: LoopbackWebSocketServer.Connection) -> [[String: Any]] {
        connection.receivedTexts.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func delta(_ text: String) -> String {
        #"{"type":"conversation.item.input_audio_transcription.delta","event_id":"e","item_id":"item_1","content_index":0,"delta":"\#(text)"}"#
    }

    @Test func deltasArePartialsAndTheCommittedBufferIsTheFinal() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(transcriber(server), frames: 10, finishAudio: false,
                                   hints: RecognitionHints(language: "pt-BR", phrases: ["consulta", "exame"], prompt: "Clínica Sorriso"))
        let connection = try #require(await server.connection(number: 0))
        let handshake = try #require(server.handshakes.first)
        #expect(handshake.target == "/v1/realtime?intent=transcription")
        #expect(handshake.headers["authorization"] == "Bearer sk-test")
        connection.send(text: #"{"type":"session.created","event_id":"e0","session":{"type":"transcription","id":"sess_1"}}"#)
        #expect(await DeepgramRecognizerTests.eventually { Self.events(connection).count == 11 })
        let events = Self.events(connection)
        let update = events[0]
        #expect(update["type"] as? String == "session.update")
        let session = try #require(update["session"] as? [String: Any])
        #expect(session["type"] as? String == "transcription")
        let input = try #require((session["audio"] as? [String: Any])?["input"] as? [String: Any])
        #expect((input["format"] as? [String: Any])?["rate"] as? Int == 24000)
        #expect(input.keys.contains("turn_detection") && input["turn_detection"] is NSNull, "ura's endpointing, not the server's")
        let transcription = try #require(input["transcription"] as? [String: Any])
        #expect(transcription["model"] as? String == "gpt-4o-transcribe" && transcription["language"] as? String == "pt")
        #expect(transcription["prompt"] as? String == "Clínica Sorriso. consulta, exame")
        // 16 kHz in, 24 kHz on the wire: ten 20 ms frames are about 9600 samples once resampled.
        let appended = events.dropFirst().compactMap { $0["audio"] as? String }.compactMap { Data(base64Encoded: $0) }.reduce(0) { $0 + $1.count / 2 }
        #expect(events.dropFirst().allSatisfy { $0["type"] as? String == "input_audio_buffer.append" })
        #expect(abs(appended - 4800) < 200, "\(appended) samples at 24 kHz for 200 ms")
        connection.send(text: Self.delta("Quero marcar"))
        connection.send(text: Self.delta(" uma consulta"))
        feed.finish()
        #expect(await DeepgramRecognizerTests.eventually { Self.events(connection).last?["type"] as? String == "input_audio_buffer.commit" })
        connection.send(text: #"{"type":"input_audio_buffer.committed","event_id":"e1","previous_item_id":null,"item_id":"item_1"}"#)
        connection.send(text: #"{"type":"conversation.item.input_audio_transcription.completed","event_id":"e2","item_id":"item_1","content_index":0,"transcript":"Quero marcar uma consulta.","usage":{"type":"duration","seconds":2}}"#)
        #expect(try await task.value == [
            Transcript(text: "Quero marcar", isFinal: false),
            Transcript(text: "Quero marcar uma consulta", isFinal: false),
            Transcript(text: "Quero marcar uma consulta.", isFinal: true),
        ])
        #expect(await DeepgramRecognizerTests.eventually { connection.isClosed })
    }

    @Test func aBufferTooShortToCommitMeansNothingWasSaid() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, _) = collect(transcriber(server), frames: 1, finishAudio: true)
        let connection = try #require(await server.connection(number: 0))
        #expect(await DeepgramRecognizerTests.eventually { Self.events(connection).last?["type"] as? String == "input_audio_buffer.commit" })
        connection.send(text: #"{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"input_audio_buffer_commit_empty","message":"buffer too small","param":null,"event_id":null}}"#)
        #expect(try await task.value == [Transcript(text: "", isFinal: true)])
    }

    @Test func anErrorEventBeforeWordsFailsSoTheChainCanFallBack() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(transcriber(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: #"{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"invalid_api_key","message":"Incorrect API key provided"}}"#)
        do {
            _ = try await task.value
            Issue.record("a refused session gave a transcript")
        } catch let error as ProviderError {
            #expect(error.description.contains("invalid_api_key"), "\(error)")
        }
    }

    @Test func aServerThatNeverFinishesGivesTheWordsSoFarAtTheDeadline() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, _) = collect(transcriber(server, finalTimeout: .milliseconds(300)), frames: 3, finishAudio: true)
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: Self.delta("what time"))
        #expect(try await task.value == [Transcript(text: "what time", isFinal: false), Transcript(text: "what time", isFinal: true)])
    }

    @Test func aSilentServerTimesOutWithoutWords() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, _) = collect(transcriber(server, finalTimeout: .milliseconds(300)), frames: 3, finishAudio: true)
        _ = try #require(await server.connection(number: 0))
        await #expect(throws: ProviderError.timedOut(provider: "openai-realtime")) { try await task.value }
    }

    @Test func aConnectionLostAfterWordsEndsWithTheWordsSoFar() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(transcriber(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: Self.delta("I want to"))
        try await Task.sleep(for: .milliseconds(100))
        connection.kill()
        #expect(try await task.value == [Transcript(text: "I want to", isFinal: false), Transcript(text: "I want to", isFinal: true)])
    }

    @Test func endlessDeltasOrAHugeTranscriptAreCutAtTheLimit() {
        var reading = RealtimeTranscriptionReading()
        var partials: [String] = []
        for _ in 0..<2000 {
            if case .partial(let text) = reading.read(Data(Self.delta("palavras sem fim ").utf8)) { partials.append(text) }
        }
        #expect(!partials.isEmpty && partials.allSatisfy { $0.utf8.count <= TranscriptLimit.bytes })
        #expect(partials.count < 2000, "once at the limit, nothing new is reported")
        let huge = String(repeating: "ã", count: 100_000)
        let final = reading.read(Data(#"{"type":"conversation.item.input_audio_transcription.completed","transcript":"\#(huge)"}"#.utf8))
        guard case .final(let text) = final else { return #expect(Bool(false), "\(final)") }
        #expect(text.utf8.count <= TranscriptLimit.bytes && text.allSatisfy { $0 == "ã" })
        var events = RealtimeServerEvents()
        let caller = events.read(Data(#"{"type":"conversation.item.input_audio_transcription.completed","transcript":"\#(huge)"}"#.utf8))
        guard case .event(.callerTranscript(let heard))? = caller.first else { return #expect(Bool(false), "\(caller)") }
        #expect(heard.utf8.count <= TranscriptLimit.bytes)
    }

    @Test func readingIgnoresOtherEventsAndReportsGarbage() {
        var reading = RealtimeTranscriptionReading()
        #expect(reading.read(Data(#"{"type":"rate_limits.updated","rate_limits":[]}"#.utf8)) == .nothing)
        #expect(reading.read(Data(#"{"type":"input_audio_buffer.speech_started","audio_start_ms":100}"#.utf8)) == .nothing)
        #expect(reading.read(Data("[1,2]".utf8)) == .failed("unreadable event: [1,2]"))
        #expect(reading.read(Data(#"{"type":"conversation.item.input_audio_transcription.failed","error":{"message":"audio unreadable"}}"#.utf8)) == .failed("audio unreadable"))
    }
}
