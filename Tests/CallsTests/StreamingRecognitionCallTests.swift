import Bots
import Foundation
import Logging
import LoopbackWebSocketServer
import Providers
import Settings
import Testing
import VoiceTesting
@testable import Calls

/// The `llm` bot with Deepgram's live recognition through the simulator: the caller's words are
/// recognised as they are spoken, and a Deepgram that refuses falls back to the batch recogniser.
@Suite(.timeLimit(.minutes(2))) struct StreamingRecognitionCallTests {
    /// A fake Deepgram: each session, once it has half a second of audio, hears `words` (an
    /// interim result, then the final one with Deepgram's endpoint).
    static func answer(_ server: LoopbackWebSocketServer, words: String) -> Task<Void, Never> {
        Task {
            var served = 0
            while !Task.isCancelled {
                guard let session = await server.connection(number: served, timeout: .milliseconds(200)) else { continue }
                served += 1
                while !Task.isCancelled, !session.isClosed, session.receivedBinary.count < 16000 {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                let first = words.split(separator: " ").prefix(2).joined(separator: " ")
                session.send(text: #"{"type":"Results","is_final":false,"speech_final":false,"channel":{"alternatives":[{"transcript":"\#(first)"}]}}"#)
                session.send(text: #"{"type":"Results","is_final":true,"speech_final":true,"channel":{"alternatives":[{"transcript":"\#(words)"}]}}"#)
            }
        }
    }

    /// An `llm` call whose recognition chain is Deepgram (the fake) then the batch recogniser:
    /// the caller asks when they open; `check` gets what they heard after asking.
    static func askThroughDeepgram(
        _ fake: FakeOpenAI, _ deepgram: LoopbackWebSocketServer, deepgramTranscribed: Bool,
        _ check: (CallHarness, [Int16]) async throws -> Void
    ) async throws {
        let configuration = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "llm",
            "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": "sk-test",
            "LLM_PROVIDERS": "openai", "STT_PROVIDERS": "deepgram,openai", "TTS_PROVIDERS": "openai", "TTS_FORMAT": "pcm",
            "DEEPGRAM_API_KEY": "dg-test", "DEEPGRAM_URL": "ws://127.0.0.1:\(deepgram.port)/v1/listen",
        ])
        let providers = try ProviderFactory(settings: configuration.ai)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let heard = try await FakeOpenAI.askWhenTheyOpen(harness)
            #expect(
                ToneDetector.energy(at: FakeOpenAI.tone(for: "We open at nine."), in: heard, sampleRate: 8000) > 0.2,
                "the answer to the question")
            try await check(harness, heard)
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        // Audio is paid for only when Deepgram took it.
        let usage = providers.totalCost.report().usage
        #expect(usage.keys.contains("deepgram") == deepgramTranscribed, "\(usage)")
    }

    @Test func theCallersWordsAreRecognisedLiveAndAnswered() async throws {
        // The batch recogniser would hear something else: only Deepgram's words can get this answer.
        let fake = try await FakeOpenAI(transcripts: ["hello"])
        defer { fake.server.shutdown() }
        let deepgram = try await LoopbackWebSocketServer()
        defer { deepgram.stop() }
        let answering = Self.answer(deepgram, words: "What time do you open?")
        defer { answering.cancel() }
        try await Self.askThroughDeepgram(fake, deepgram, deepgramTranscribed: true) { _, _ in
            #expect(!fake.server.requests.contains { $0.path == "/v1/audio/transcriptions" }, "the batch recogniser was not needed")
            let session = try #require(deepgram.handshakes.first)
            #expect(session.target.contains("language=en-US") && session.headers["authorization"] == "Token dg-test")
        }
    }

    @Test func aDeepgramThatRefusesFallsBackToTheBatchRecogniser() async throws {
        let fake = try await FakeOpenAI(transcripts: ["What time do you open?"])
        defer { fake.server.shutdown() }
        let deepgram = try await LoopbackWebSocketServer(behaviour: .init(handshake: .reject(status: 401)))
        defer { deepgram.stop() }
        try await Self.askThroughDeepgram(fake, deepgram, deepgramTranscribed: false) { _, _ in
            #expect(fake.server.requests.contains { $0.path == "/v1/audio/transcriptions" })
            #expect(!deepgram.handshakes.isEmpty)
        }
    }
}
