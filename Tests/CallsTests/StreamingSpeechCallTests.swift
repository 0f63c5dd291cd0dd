import Bots
import Foundation
import Logging
import LoopbackWebSocketServer
import Audio
import Providers
import Settings
import Testing
import VoiceTesting
@testable import Calls

/// Everything streamed through the simulator: Deepgram hears the caller, the LLM answers,
/// ElevenLabs speaks the answer; and an ElevenLabs that drops mid-call is replaced by the next
/// voice of the chain, so the caller is never left in silence.
@Suite(.timeLimit(.minutes(2))) struct StreamingSpeechCallTests {
    /// A fake ElevenLabs: each session speaks its text as ``FakeOpenAI/tone(for:)`` in µ-law at
    /// 8 kHz, 40 ms per character, in 100 ms messages, then `isFinal`. Sessions after the first
    /// `dropFrom` are cut before they speak (a provider going down mid-call).
    static func speak(_ server: LoopbackWebSocketServer, dropFrom: Int = .max) -> Task<Void, Never> {
        Task {
            var served = 0
            while !Task.isCancelled {
                guard let session = await server.connection(number: served, timeout: .milliseconds(200)) else { continue }
                served += 1
                while !Task.isCancelled, !session.isClosed, session.receivedTexts.count < 2 { try? await Task.sleep(for: .milliseconds(5)) }
                guard let message = session.receivedTexts.dropFirst().first,
                      let text = (try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])?["text"] as? String
                else { continue }
                if served > dropFrom {
                    session.kill()
                    continue
                }
                let frequency = FakeOpenAI.tone(for: text)
                let codes = (0..<(8 * 40 * max(text.count, 10))).map { MuLaw.encode(Int16(9000 * sin(2 * Double.pi * frequency * Double($0) / 8000))) }
                for start in stride(from: 0, to: codes.count, by: 800) {
                    let piece = Data(codes[start..<min(start + 800, codes.count)]).base64EncodedString()
                    session.send(text: #"{"audio":"\#(piece)","isFinal":false,"normalizedAlignment":null}"#)
                }
                session.send(text: #"{"isFinal":true}"#)
            }
        }
    }

    static func configuration(_ fake: FakeOpenAI, deepgram: LoopbackWebSocketServer, elevenLabs: LoopbackWebSocketServer) throws -> Configuration {
        try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "llm",
            "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": "sk-test",
            "LLM_PROVIDERS": "openai", "STT_PROVIDERS": "deepgram,openai", "TTS_PROVIDERS": "elevenlabs,openai", "TTS_FORMAT": "pcm",
            "DEEPGRAM_API_KEY": "dg-test", "DEEPGRAM_URL": "ws://127.0.0.1:\(deepgram.port)/v1/listen",
            "ELEVENLABS_API_KEY": "xi-test", "ELEVENLABS_URL": "ws://127.0.0.1:\(elevenLabs.port)/v1/text-to-speech",
        ])
    }

    /// Asks "What time do you open?" through the streaming chains; returns what the caller heard
    /// after asking, with the providers' usage.
    static func ask(dropElevenLabsFrom dropFrom: Int = .max) async throws -> (heard: [Int16], usage: [String: ProviderUsage], fake: FakeOpenAI, elevenLabs: LoopbackWebSocketServer) {
        // The batch recogniser would hear something else: only Deepgram's words get the answer.
        let fake = try await FakeOpenAI(transcripts: ["hello"])
        let deepgram = try await LoopbackWebSocketServer()
        defer { deepgram.stop() }
        let elevenLabs = try await LoopbackWebSocketServer()
        let listening = StreamingRecognitionCallTests.answer(deepgram, words: "What time do you open?")
        defer { listening.cancel() }
        let speaking = speak(elevenLabs, dropFrom: dropFrom)
        defer { speaking.cancel() }
        let providers = try ProviderFactory(settings: configuration(fake, deepgram: deepgram, elevenLabs: elevenLabs).ai)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        var heard: [Int16] = []
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            heard = try await FakeOpenAI.askWhenTheyOpen(harness)
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        return (heard, providers.totalCost.report().usage, fake, elevenLabs)
    }

    @Test func theCallerIsHeardAndAnsweredByStreamingProviders() async throws {
        let (heard, usage, fake, elevenLabs) = try await Self.ask()
        defer { fake.server.shutdown(); elevenLabs.stop() }
        #expect(ToneDetector.energy(at: FakeOpenAI.tone(for: "We open at nine."), in: heard, sampleRate: 8000) > 0.2, "the answer, in ElevenLabs' voice")
        #expect(!fake.server.requests.contains { $0.path == "/v1/audio/speech" || $0.path == "/v1/audio/transcriptions" },
                "neither batch provider was needed")
        let spoken = elevenLabs.connections.compactMap { $0.receivedTexts.dropFirst().first }
        #expect(spoken.contains { $0.contains("We open at nine.") }, "\(spoken)")
        #expect(elevenLabs.handshakes.allSatisfy { $0.target.contains("output_format=ulaw_8000") && $0.headers["xi-api-key"] == "xi-test" })
        #expect(usage["elevenlabs"]?.characters ?? 0 > 0 && usage["deepgram"] != nil, "\(usage)")
    }

    @Test func anElevenLabsThatDropsMidCallIsReplacedByTheNextVoice() async throws {
        // The greeting's sessions are spoken; from the third session on, ElevenLabs breaks.
        let (heard, _, fake, elevenLabs) = try await Self.ask(dropElevenLabsFrom: 2)
        defer { fake.server.shutdown(); elevenLabs.stop() }
        #expect(fake.server.requests.contains { $0.path == "/v1/audio/speech" }, "the fallback voice spoke")
        #expect(ToneDetector.energy(at: FakeOpenAI.tone(for: "We open at nine."), in: heard, sampleRate: 8000) > 0.2, "the caller still heard the answer")
    }
}
