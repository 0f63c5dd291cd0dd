import Foundation
import LoopbackWebSocketServer
import Audio
import Settings
import Testing
import Voice
@testable import Providers

/// ElevenLabs' streaming text-to-speech against a fake that speaks its `stream-input` protocol:
/// voice and format in the URL, the key in `xi-api-key`, opening / text with `flush` / empty
/// text, base64 audio pieces, alignment-only messages, `isFinal`, error messages and closes.
@Suite(.timeLimit(.minutes(1))) struct ElevenLabsSpeechTests {
    func speech(_ server: LoopbackWebSocketServer, format: ElevenLabsSettings.OutputFormat = .ulaw8000, meter: CostMeter? = nil,
                firstAudioTimeout: Duration = .seconds(5)) -> ElevenLabsSpeech {
        ElevenLabsSpeech(settings: ElevenLabsSettings(
            url: URL(string: "ws://127.0.0.1:\(server.port)/v1/text-to-speech")!, apiKey: "xi-test", voice: "Voice42",
            outputFormat: format, speed: 1.5, connectTimeout: .seconds(2), firstAudioTimeout: firstAudioTimeout), meter: meter)
    }

    static func audio(_ bytes: [UInt8], isFinal: Bool? = false) -> String {
        let final = isFinal.map { String($0) } ?? "null"
        return #"{"audio":"\#(Data(bytes).base64EncodedString())","isFinal":\#(final),"normalizedAlignment":{"charStartTimesMs":[0],"charsDurationMs":[40],"chars":["O"]},"alignment":null}"#
    }

    func collect(_ speech: ElevenLabsSpeech, _ text: String, language: String = "pt-BR") -> Task<[Int16], any Error> {
        Task {
            var samples: [Int16] = []
            for try await chunk in speech.synthesize(text, language: language) { samples += chunk }
            return samples
        }
    }

    @Test func aSentenceIsOneSessionAndItsMuLawAudioIsDecodedAsItComes() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let meter = CostMeter(prices: PriceTable())
        let task = collect(speech(server, meter: meter), "Olá, em que posso ajudar?")
        let connection = try #require(await server.connection(number: 0))
        let handshake = try #require(server.handshakes.first)
        #expect(handshake.target.hasPrefix("/v1/text-to-speech/Voice42/stream-input?"), "\(handshake.target)")
        for item in ["model_id=eleven_flash_v2_5", "output_format=ulaw_8000", "language_code=pt"] {
            #expect(handshake.target.contains(item), "\(item) in \(handshake.target)")
        }
        #expect(handshake.headers["xi-api-key"] == "xi-test")
        #expect(await DeepgramRecognizerTests.eventually { connection.receivedTexts.count == 3 })
        let sent = try connection.receivedTexts.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(sent[0]["text"] as? String == " ")
        let voice = try #require(sent[0]["voice_settings"] as? [String: Any])
        #expect(voice["speed"] as? Double == 1.2, "TTS_SPEED is clamped into ElevenLabs' range")
        #expect(sent[1]["text"] as? String == "Olá, em que posso ajudar? ")
        #expect(sent[1]["flush"] as? Bool == true)
        #expect(sent[2]["text"] as? String == "")
        let first: [UInt8] = (0..<160).map { UInt8($0) }
        let second: [UInt8] = (0..<80).map { UInt8(255 - $0) }
        connection.send(text: Self.audio(first))
        connection.send(text: #"{"audio":null,"isFinal":null,"normalizedAlignment":null,"alignment":null}"#)
        connection.send(text: Self.audio(second, isFinal: nil))
        connection.send(text: #"{"isFinal":true}"#)
        let samples = try await task.value
        #expect(samples == (first + second).map(MuLaw.decode))
        #expect(meter.report().usage["elevenlabs"]?.characters == "Olá, em que posso ajudar?".count)
        #expect(await DeepgramRecognizerTests.eventually { connection.isClosed }, "the session is closed once the sentence is spoken")
    }

    @Test func wideBandPCMKeepsAnOddByteForTheNextPiece() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let speech = speech(server, format: .pcm16000)
        #expect(speech.sampleRate == 16000)
        let task = collect(speech, "Hello there.", language: "en-US")
        let connection = try #require(await server.connection(number: 0))
        #expect(server.handshakes.first?.target.contains("output_format=pcm_16000") == true)
        // 1000 and -2 as little-endian bytes, split in the middle of the first sample.
        connection.send(text: Self.audio([0xE8]))
        connection.send(text: Self.audio([0x03, 0xFE, 0xFF], isFinal: true))
        #expect(try await task.value == [1000, -2])
    }

    @Test(arguments: [401, 429, 503])
    func aRefusedSessionFailsBeforeAudioSoTheChainCanFallBack(status: Int) async throws {
        let server = try await LoopbackWebSocketServer(behaviour: .init(handshake: .reject(status: status)))
        defer { server.stop() }
        let meter = CostMeter(prices: PriceTable())
        do {
            _ = try await collect(speech(server, meter: meter), "Oi.").value
            Issue.record("a refused session spoke")
        } catch let error as ProviderError {
            #expect(error.kind == "connection" && error.description.contains(String(status)), "\(error)")
        }
        #expect(meter.report().usage["elevenlabs"] == nil, "a refused session is not billed")
    }

    @Test func anErrorMessageBeforeAudioFailsWithElevenLabsWords() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let task = collect(speech(server), "Oi.")
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: #"{"message":"This request exceeds your quota.","error":"quota_exceeded","code":1008}"#)
        connection.close(code: 1008)
        do {
            _ = try await task.value
            Issue.record("a session that hit the quota spoke")
        } catch let error as ProviderError {
            #expect(error.description.contains("quota_exceeded"), "\(error)")
        }
    }

    @Test func aSilentSessionTimesOutAtTheFirstAudioDeadline() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let started = ContinuousClock.now
        let task = collect(speech(server, firstAudioTimeout: .milliseconds(300)), "Oi.")
        let connection = try #require(await server.connection(number: 0))
        await #expect(throws: ProviderError.firstByteTimeout(provider: "elevenlabs")) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(await DeepgramRecognizerTests.eventually { connection.isClosed }, "the silent session is closed, not left open")
    }

    @Test func aSessionBrokenAfterAudioIsAnAbortedStream() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let audio = speech(server).synthesize("Uma frase longa que vai ser cortada.", language: "pt-BR")
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: Self.audio([UInt8](repeating: 0x7F, count: 160)))
        var iterator = audio.makeAsyncIterator()
        #expect(try await iterator.next()?.count == 160)
        connection.kill()
        await #expect(throws: ProviderError.streamAborted(provider: "elevenlabs")) { _ = try await iterator.next() }
    }

    @Test func cancellingTheConsumerClosesTheSession() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let task = collect(speech(server), "Uma resposta que o cliente interrompe.")
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: Self.audio([UInt8](repeating: 0x7F, count: 160)))
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await DeepgramRecognizerTests.eventually { connection.isClosed }, "barge-in ends the session")
    }

    @Test func readingSkipsAlignmentAndReportsGarbage() {
        var reading = ElevenLabsReading(format: .ulaw8000)
        #expect(reading.read(Data(#"{"audio":null,"isFinal":null}"#.utf8)) == .nothing)
        #expect(reading.read(Data(#"{"audio":"","isFinal":false}"#.utf8)) == .nothing)
        #expect(reading.read(Data(#"{"isFinal":true}"#.utf8)) == .finished([]))
        #expect(reading.read(Data("not json".utf8)) == .failed(.malformedResponse(provider: "elevenlabs", reason: "unreadable message: not json")))
        #expect(reading.read(Data(#"{"audio":"***","isFinal":false}"#.utf8)) == .failed(.malformedResponse(provider: "elevenlabs", reason: "audio that is not base64")))
        #expect(reading.read(Data(#"{"audio":7}"#.utf8)) == .failed(.malformedResponse(provider: "elevenlabs", reason: #"unreadable message: {"audio":7}"#)))
    }

    @Test func languageCodeIsOnlySentToModelsThatTakeOne() {
        let base = ElevenLabsSettings(url: URL(string: "wss://example.test/v1/text-to-speech")!, apiKey: "k", voice: "v")
        #expect(ElevenLabsSpeech(settings: base).streamURL(language: "en-US").query?.contains("language_code=en") == true)
        var older = base
        older.model = "eleven_multilingual_v2"
        #expect(ElevenLabsSpeech(settings: older).streamURL(language: "pt-BR").query?.contains("language_code") == false)
    }
}
