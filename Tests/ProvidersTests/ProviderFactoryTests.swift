import Foundation
import LoopbackHTTPServer
import LoopbackWebSocketServer
import Settings
import Testing
import Voice
import VoiceTesting
@testable import Providers

@Suite("Provider factory")
struct ProviderFactoryTests {
    func settings(_ extra: [String: String]) throws -> AIProviders {
        try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "x"].merging(extra) { _, new in new }).ai
    }

    @Test func buildsTheConfiguredChainsAndMetersEachCall() async throws {
        let openAI = try await FakeServer(handler: { request in
            switch request.path {
            case "/v1/chat/completions": .sse(ChatWireFixtures.openAI)
            case "/v1/audio/transcriptions": .json(503, #"{"error":{"message":"busy"}}"#)
            default: .json(404, "{}")
            }
        })
        defer { openAI.close() }
        let local = try await FakeServer([.json(200, #"{"text":"what are your hours"}"#)])
        defer { local.close() }
        let google = try await FakeGoogle()
        defer { google.close() }
        let ai = try settings([
            "URA_BOT": "llm", "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": openAI.v1.absoluteString, "LOCAL_BASE_URL": local.v1.absoluteString,
            "GOOGLE_APPLICATION_CREDENTIALS": google.credentialsPath,
            "LLM_PROVIDERS": "openai,local", "STT_PROVIDERS": "openai,local", "TTS_PROVIDERS": "google,offline",
            "PROVIDER_MAX_RETRIES": "0", "STT_PROMPT": "hours", "PROVIDER_PRICES": "openai.prompt_per_mtok=1,openai.completion_per_mtok=2,local.stt_per_minute=60",
        ])
        let offline = ScriptedSynthesizer(sampleRate: 8000)
        let factory = try ProviderFactory(
            settings: ai, offline: .init(synthesizer: offline),
            googleBaseURLs: .init(speechToText: google.server.baseURL, textToSpeech: google.server.baseURL))
        defer { factory.shutdown() }
        let meter = factory.makeCostMeter()
        let brain = try #require(factory.makeBrain(meter: meter))
        #expect(brain.name == "llm:openai:gpt-4o-mini>llm:local:gpt-4o-mini")
        let recognizer = try #require(factory.makeRecognizer(meter: meter))
        #expect(recognizer.name == "stt:openai:whisper-1>stt:local:whisper-1")
        let synthesizer = try #require(factory.makeSynthesizer(meter: meter))
        #expect(synthesizer.name == "tts:google>scripted" && synthesizer.sampleRate == 24000)

        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        feed.yield(Array(repeating: 1, count: 16000))
        feed.finish()
        let (transcripts, sttError) = await collect(recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US")))
        #expect(sttError == nil && transcripts.last?.text == "what are your hours")
        let upload = try #require(local.requests.first)
        #expect(String(decoding: upload.body, as: UTF8.self).contains("name=\"prompt\"\r\n\r\nhours\r\n"))
        let (outputs, llmError) = await collect(brain.respond(to: .speech("what are your hours"), in: Conversation(language: "en-US")))
        #expect(llmError == nil && outputs.count == 2)
        #expect(openAI.requests.first { $0.path == "/v1/chat/completions" }?.header("Authorization") == "Bearer sk-test")
        let (speech, ttsError) = await collect(synthesizer.synthesize("Nine to five.", language: "en-US"))
        #expect(ttsError == nil && !speech.isEmpty)

        let report = meter.report()
        #expect(report.usage["local"]?.audioSeconds == 1)
        #expect(report.usage["openai"]?.promptTokens == 412)
        #expect(report.usage["google"]?.characters == 13)
        #expect(abs(report.total - (1 + (412 * 1 + 9 * 2) / 1_000_000)) < 1e-9)
        #expect(factory.totalCost.report() == report)
        #expect(factory.stats.value("stt:openai:whisper-1", "fallback") == 1)
        #expect(factory.stats.value("openai", "http_5xx") == 1)
    }

    @Test func streamingProvidersJoinTheChainsAndARefusedOneFallsBack() async throws {
        let elevenLabs = try await LoopbackWebSocketServer(behaviour: .init(handshake: .reject(status: 401)))
        defer { elevenLabs.stop() }
        let ai = try settings([
            "STT_PROVIDERS": "deepgram,offline", "DEEPGRAM_API_KEY": "dg", "TTS_PROVIDERS": "elevenlabs,offline", "ELEVENLABS_API_KEY": "xi",
            "ELEVENLABS_URL": "ws://127.0.0.1:\(elevenLabs.port)/v1/text-to-speech",
        ])
        let offline = ScriptedSynthesizer(sampleRate: 8000)
        let factory = try ProviderFactory(settings: ai, offline: .init(recognizer: ScriptedRecognizer(script: []), synthesizer: offline))
        defer { factory.shutdown() }
        let meter = factory.makeCostMeter()
        #expect(factory.makeRecognizer(meter: meter)?.name == "stt:deepgram:nova-3>scripted")
        let synthesizer = try #require(factory.makeSynthesizer(meter: meter))
        #expect(synthesizer.name == "tts:elevenlabs:eleven_flash_v2_5>scripted" && synthesizer.sampleRate == 8000)
        let (speech, ttsError) = await collect(synthesizer.synthesize("Bom dia.", language: "pt-BR"))
        #expect(ttsError == nil && !speech.isEmpty, "the offline voice speaks when ElevenLabs refuses the key")
        #expect(elevenLabs.handshakes.first?.headers["xi-api-key"] == "xi")
        #expect(factory.stats.value("tts:elevenlabs:eleven_flash_v2_5", "fallback") == 1)
    }

    @Test func anOfflineLLMIsRefusedAtStart() {
        #expect(throws: ConfigurationError.self) { try settings(["LLM_PROVIDERS": "openai,offline"]) }
        do {
            _ = try settings(["LLM_PROVIDERS": "offline"])
        } catch {
            #expect("\(error)".contains("URA_BOT=flow:"), "\(error)")
        }
    }

    @Test func offlineOnlyChainsWithoutEnginesAreEmpty() throws {
        let factory = try ProviderFactory(settings: settings(["STT_PROVIDERS": "offline", "TTS_PROVIDERS": "offline"]))
        defer { factory.shutdown() }
        let meter = factory.makeCostMeter()
        #expect(factory.makeRecognizer(meter: meter) == nil)
        #expect(factory.makeSynthesizer(meter: meter) == nil)
    }
}
