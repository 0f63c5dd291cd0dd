import Foundation
import LoopbackWebSocketServer
import NIOSSL
import Testing
import Voice
@testable import Providers

/// Deepgram's live speech-to-text against a fake that speaks its protocol: query, key, audio as
/// binary PCM, interim and final `Results`, `speech_final`, `CloseStream`, close codes.
@Suite(.timeLimit(.minutes(1))) struct DeepgramRecognizerTests {
    let frame: [Int16] = (0..<160).map { Int16($0 * 3 - 240) }

    func recognizer(_ server: LoopbackWebSocketServer) -> DeepgramRecognizer {
        DeepgramRecognizer(settings: DeepgramSettings(url: URL(string: "ws://127.0.0.1:\(server.port)/v1/listen")!, apiKey: "dg-test"))
    }

    static func results(_ text: String, isFinal: Bool, speechFinal: Bool = false) -> String {
        #"{"type":"Results","channel_index":[0,1],"duration":0.5,"start":0.0,"is_final":\#(isFinal),"speech_final":\#(speechFinal),"channel":{"alternatives":[{"transcript":"\#(text)","confidence":0.98,"words":[]}]},"metadata":{"request_id":"r"},"from_finalize":false}"#
    }

    func collect(_ recognizer: DeepgramRecognizer, frames: Int, finishAudio: Bool, hints: RecognitionHints = RecognitionHints(language: "pt-BR"))
        -> (Task<[Transcript], any Error>, AsyncStream<[Int16]>.Continuation)
    {
        transcribing(recognizer, frame: frame, frames: frames, finishAudio: finishAudio, hints: hints)
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }

    @Test func interimResultsArePartialsAndDeepgramsEndpointIsTheFinal() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(recognizer(server), frames: 10, finishAudio: false,
                                   hints: RecognitionHints(language: "pt-BR", phrases: ["consulta"]))
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        let handshake = try #require(server.handshakes.first)
        for item in ["model=nova-3", "encoding=linear16", "sample_rate=16000", "channels=1", "interim_results=true", "endpointing=300", "language=pt-BR", "keyterm=consulta"] {
            #expect(handshake.target.contains(item), "\(item) in \(handshake.target)")
        }
        #expect(handshake.target.hasPrefix("/v1/listen?"))
        #expect(handshake.headers["authorization"] == "Token dg-test")
        // The audio arrives as it was fed: 16-bit little-endian PCM.
        #expect(await Self.eventually { connection.receivedBinary.count == 10 * 320 })
        let first = Array(connection.receivedBinary.prefix(320))
        #expect(first == frame.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] })
        connection.send(text: Self.results("quero", isFinal: false))
        connection.send(text: Self.results("quero marcar uma consulta", isFinal: true))
        connection.send(text: #"{"type":"SpeechStarted","channel":[0],"timestamp":0.1}"#)
        connection.send(text: Self.results("amanhã", isFinal: true, speechFinal: true))
        let heard = try await task.value
        #expect(heard == [
            Transcript(text: "quero", isFinal: false),
            Transcript(text: "quero marcar uma consulta", isFinal: false),
            Transcript(text: "quero marcar uma consulta amanhã", isFinal: true),
        ])
        // Done with the utterance: the session is closed, not left open.
        #expect(await Self.eventually { connection.isClosed })
    }

    @Test func theEndOfTheAudioFlushesDeepgramWithCloseStream() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, _) = collect(recognizer(server), frames: 5, finishAudio: true)
        let connection = try #require(await server.connection(number: 0))
        #expect(await Self.eventually { connection.receivedTexts.contains(#"{"type":"CloseStream"}"#) })
        #expect(connection.receivedBinary.count == 5 * 320)
        connection.send(text: Self.results("what are your hours?", isFinal: true))
        connection.send(text: #"{"type":"Metadata","request_id":"r","duration":0.1,"channels":1}"#)
        connection.close(code: 1000)
        #expect(try await task.value == [Transcript(text: "what are your hours?", isFinal: false), Transcript(text: "what are your hours?", isFinal: true)])
    }

    @Test func aRefusedKeyFailsBeforeAnyWordsSoTheChainCanFallBack() async throws {
        let server = try await LoopbackWebSocketServer(behaviour: .init(handshake: .reject(status: 401)))
        defer { server.stop() }
        let (task, feed) = collect(recognizer(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        await #expect(throws: ProviderError.self) { try await task.value }
        #expect(server.handshakes.count == 1, "a session is not retried by the recogniser itself")
    }

    @Test func deepgramClosingWithAnErrorBeforeAnyWordsFails() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(recognizer(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        connection.close(code: 1011)
        do {
            _ = try await task.value
            Issue.record("a session Deepgram closed with 1011 gave a transcript")
        } catch let error as ProviderError {
            #expect(error.description.contains("1011"), "\(error)")
        }
    }

    @Test func aConnectionLostBeforeAnyWordsFailsSoTheChainCanFallBack() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(recognizer(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        #expect(await Self.eventually { connection.receivedBinary.count == 3 * 320 })
        connection.kill()
        await #expect(throws: ProviderError.self) { try await task.value }
    }

    @Test func aConnectionLostAfterWordsEndsWithTheWordsSoFar() async throws {
        let server = try await LoopbackWebSocketServer()
        defer { server.stop() }
        let (task, feed) = collect(recognizer(server), frames: 3, finishAudio: false)
        defer { feed.finish() }
        let connection = try #require(await server.connection(number: 0))
        connection.send(text: Self.results("I want to", isFinal: false))
        #expect(await Self.eventually { connection.receivedBinary.count == 3 * 320 })
        try await Task.sleep(for: .milliseconds(100))
        connection.kill()
        #expect(try await task.value == [Transcript(text: "I want to", isFinal: false), Transcript(text: "I want to", isFinal: true)])
    }

    @Test func aServerThatNeverStopsCommittingIsCutAtTheLimit() {
        var reading = DeepgramReading()
        for _ in 0..<3000 { _ = reading.read(Data(Self.results("mais uma frase", isFinal: true).utf8)) }
        _ = reading.read(Data(Self.results(String(repeating: "x", count: 50_000), isFinal: false).utf8))
        #expect(reading.text.utf8.count <= TranscriptLimit.bytes && reading.text.hasPrefix("mais uma frase"))
    }

    @Test func readingFollowsCommittedPiecesAndIgnoresOtherMessages() {
        var reading = DeepgramReading()
        #expect(reading.read(Data(#"{"type":"Metadata"}"#.utf8)) == .nothing)
        #expect(reading.read(Data(Self.results("", isFinal: false).utf8)) == .nothing)
        #expect(reading.read(Data(Self.results("um", isFinal: false).utf8)) == .partial("um"))
        #expect(reading.read(Data(Self.results("um", isFinal: false).utf8)) == .nothing)
        #expect(reading.read(Data(Self.results("um, yes", isFinal: true).utf8)) == .partial("um, yes"))
        #expect(reading.read(Data(#"{"type":"UtteranceEnd","channel":[0,1],"last_word_end":1.2}"#.utf8)) == .final("um, yes"))
        #expect(reading.read(Data("not json".utf8)) == .nothing)
        #expect(reading.read(Data(#"{"type":"Results","channel":7}"#.utf8)) == .failed(#"unreadable Results: {"type":"Results","channel":7}"#))
        #expect(reading.read(Data(#"{"type":"Error","description":"bad audio"}"#.utf8)) == .failed("bad audio"))
        var silent = DeepgramReading()
        #expect(silent.read(Data(#"{"type":"UtteranceEnd"}"#.utf8)) == .nothing)
        #expect(silent.read(Data(Self.results("", isFinal: true, speechFinal: true).utf8)) == .nothing)
    }
}

/// `wss://` to a private deployment whose certificate chains to its own CA (`PROVIDER_CA_FILE`).
/// The fixtures: `test-ca.pem` (its key was thrown away once `provider-cert.pem`, for 127.0.0.1
/// and localhost, was signed) and the provider's certificate and key.
@Suite(.timeLimit(.minutes(1))) struct DeepgramOverTLSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    static func server() async throws -> LoopbackWebSocketServer {
        let chain = try NIOSSLCertificate.fromPEMFile(fixtures.appending(path: "provider-cert.pem").path)
        let key = try NIOSSLPrivateKey(file: fixtures.appending(path: "provider-key.pem").path, format: .pem)
        return try await LoopbackWebSocketServer(
            tls: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
    }

    static func recognizer(_ server: LoopbackWebSocketServer, caFile: String?) -> DeepgramRecognizer {
        DeepgramRecognizer(settings: DeepgramSettings(
            url: URL(string: "wss://127.0.0.1:\(server.port)/v1/listen")!, apiKey: "dg-test", caFile: caFile))
    }

    @Test func theCAFileMakesAPrivateDeploymentTrusted() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        feed.yield([Int16](repeating: 100, count: 320))
        feed.finish()
        let recognizer = Self.recognizer(server, caFile: Self.fixtures.appending(path: "test-ca.pem").path)
        let heard = Task {
            var transcripts: [Transcript] = []
            for try await transcript in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US")) { transcripts.append(transcript) }
            return transcripts
        }
        let connection = try #require(await server.connection(number: 0))
        #expect(await DeepgramRecognizerTests.eventually { connection.receivedTexts.contains(#"{"type":"CloseStream"}"#) })
        connection.send(text: DeepgramRecognizerTests.results("over TLS", isFinal: true))
        connection.close(code: 1000)
        #expect(try await heard.value.last == Transcript(text: "over TLS", isFinal: true))
        #expect(connection.receivedBinary.count == 640)
    }

    @Test func withoutTheCAFileTheCertificateIsRefused() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        feed.yield([Int16](repeating: 100, count: 320))
        defer { feed.finish() }
        let recognizer = Self.recognizer(server, caFile: nil)
        await #expect(throws: ProviderError.self) {
            for try await _ in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US")) {}
        }
        #expect(server.connections.isEmpty, "no WebSocket session over an untrusted certificate")
    }
}
