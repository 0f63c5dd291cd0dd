import Foundation
import Testing
@testable import Settings

@Suite("AI provider settings")
struct AIProvidersTests {
    let minimal = ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "s3cret"]

    func load(_ extra: [String: String]) throws(ConfigurationError) -> AIProviders {
        try Configuration.load(environment: minimal.merging(extra) { _, new in new }).ai
    }

    func failure(_ extra: [String: String]) -> ConfigurationError? {
        do {
            _ = try load(extra)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsUseOpenAI() throws {
        let ai = try load([:])
        #expect(ai.openAI.baseURL.absoluteString == "https://api.openai.com/v1")
        #expect(ai.openAI.apiKey == nil && ai.local == nil)
        #expect(ai.openAI.llmModel == "gpt-4o-mini" && ai.openAI.sttModel == "whisper-1")
        // Speech works with nothing configured: the offline engines.
        #expect(ai.llmChain == [.openai] && ai.sttChain == [.offline] && ai.ttsChain == [.offline])
        #expect(ai.ttsFormat == .pcm && ai.ttsSpeed == 1)
        #expect(ai.prices == PriceTable())
        #expect(ai.systemPrompts.isEmpty)
    }

    @Test func aConfiguredServerComesBeforeTheOfflineEngines() throws {
        let keyed = try load(["OPENAI_API_KEY": "sk-x"])
        #expect(keyed.sttChain == [.openai, .offline] && keyed.ttsChain == [.openai, .offline])
        let local = try load(["OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"])
        #expect(local.sttChain == [.openai, .offline])
    }

    @Test func everyVariableIsRead() throws {
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("ura-settings-\(UUID().uuidString).json")
        try Data("{}".utf8).write(to: credentials)
        defer { try? FileManager.default.removeItem(at: credentials) }
        let ai = try load([
            "URA_BOT": "llm", "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://gateway.example.com/openai/v1/",
            "LLM_MODEL": "gpt-4o", "STT_PROMPT": "Clínica Sorriso", "STT_MODEL": "gpt-4o-transcribe", "TTS_MODEL": "tts-1", "TTS_VOICE": "nova", "TTS_SPEED": "1.2",
            "TTS_FORMAT": "WAV", "LLM_SYSTEM_PROMPT_EN": "Be brief.", "LLM_SYSTEM_PROMPT_PT": "Seja breve.",
            "LOCAL_BASE_URL": "http://127.0.0.1:11434/v1", "LOCAL_API_KEY": "ollama", "LOCAL_LLM_MODEL": "llama3.2",
            "LOCAL_STT_MODEL": "Systran/faster-whisper-small", "LOCAL_TTS_MODEL": "kokoro", "LOCAL_TTS_VOICE": "pf_dora",
            "GOOGLE_APPLICATION_CREDENTIALS": credentials.path, "GOOGLE_TTS_VOICE_EN": "en-US-Wavenet-D", "GOOGLE_TTS_VOICE_PT": "pt-BR-Wavenet-B",
            "LLM_PROVIDERS": "openai, local", "STT_PROVIDERS": "google,openai,offline", "TTS_PROVIDERS": "local,offline",
            "PROVIDER_CONNECT_TIMEOUT_MS": "1500", "PROVIDER_FIRST_BYTE_TIMEOUT_MS": "3000", "PROVIDER_RETRY_BUDGET_MS": "2500",
            "PROVIDER_MAX_RETRIES": "1", "LLM_HISTORY_TURNS": "8", "LLM_HISTORY_TOKENS": "1200",
            "PROVIDER_PRICES": "openai.prompt_per_mtok=0.15, openai.completion_per_mtok=0.6,google.stt_per_minute=0.024,openai.tts_per_mchar=15,openai.stt_per_minute=0.006",
        ])
        #expect(ai.openAI.baseURL.absoluteString == "https://gateway.example.com/openai/v1")
        #expect(ai.openAI.apiKey?.reveal() == "sk-test")
        #expect(ai.openAI.llmModel == "gpt-4o" && ai.openAI.sttModel == "gpt-4o-transcribe")
        #expect(ai.openAI.ttsModel == "tts-1" && ai.openAI.ttsVoice == "nova")
        #expect(ai.ttsSpeed == 1.2 && ai.ttsFormat == .wav)
        #expect(ai.sttPrompt == "Clínica Sorriso")
        #expect(ai.systemPrompts == ["en": "Be brief.", "pt": "Seja breve."])
        let local = try #require(ai.local)
        #expect(local.baseURL.absoluteString == "http://127.0.0.1:11434/v1" && local.apiKey?.reveal() == "ollama")
        #expect(local.llmModel == "llama3.2" && local.sttModel == "Systran/faster-whisper-small")
        #expect(local.ttsModel == "kokoro" && local.ttsVoice == "pf_dora")
        #expect(ai.googleCredentialsPath == credentials.path)
        #expect(ai.googleVoices == ["en": "en-US-Wavenet-D", "pt": "pt-BR-Wavenet-B"])
        #expect(ai.llmChain == [.openai, .local] && ai.sttChain == [.google, .openai, .offline] && ai.ttsChain == [.local, .offline])
        #expect(ai.connectTimeoutMilliseconds == 1500 && ai.firstByteTimeoutMilliseconds == 3000)
        #expect(ai.retryBudgetMilliseconds == 2500 && ai.maxRetries == 1)
        #expect(ai.historyTurns == 8 && ai.historyTokens == 1200)
        #expect(ai.prices.rates(for: "openai") == .init(
            promptPerMillionTokens: 0.15, completionPerMillionTokens: 0.6, transcriptionPerMinute: 0.006, synthesisPerMillionCharacters: 15))
        #expect(ai.prices.rates(for: "google").transcriptionPerMinute == 0.024)
        #expect(ai.prices.rates(for: "local") == .init())
    }

    @Test(arguments: [
        (["URA_BOT": "llm"], "OPENAI_API_KEY"),
        (["OPENAI_BASE_URL": "api.openai.com/v1"], "OPENAI_BASE_URL"),
        (["OPENAI_BASE_URL": "ftp://host/v1"], "OPENAI_BASE_URL"),
        (["LLM_PROVIDERS": "openai,google"], "LLM_PROVIDERS"),
        (["STT_PROVIDERS": "openai,watson"], "STT_PROVIDERS"),
        (["TTS_PROVIDERS": "openai,openai"], "TTS_PROVIDERS"),
        (["LLM_PROVIDERS": "local"], "LOCAL_BASE_URL"),
        (["STT_PROVIDERS": "google"], "GOOGLE_APPLICATION_CREDENTIALS"),
        (["STT_PROVIDERS": "google", "GOOGLE_APPLICATION_CREDENTIALS": "/no/such/key.json"], "GOOGLE_APPLICATION_CREDENTIALS"),
        (["STT_PROVIDERS": "deepgram,offline"], "DEEPGRAM_API_KEY"),
        (["TTS_PROVIDERS": "deepgram", "DEEPGRAM_API_KEY": "dg"], "TTS_PROVIDERS"),
        (["DEEPGRAM_API_KEY": "dg", "DEEPGRAM_URL": "https://api.deepgram.com/v1/listen"], "DEEPGRAM_URL"),
        (["DEEPGRAM_API_KEY": "dg", "DEEPGRAM_ENDPOINTING_MS": "0"], "DEEPGRAM_ENDPOINTING_MS"),
        (["TTS_PROVIDERS": "elevenlabs,offline"], "ELEVENLABS_API_KEY"),
        (["STT_PROVIDERS": "elevenlabs", "ELEVENLABS_API_KEY": "xi"], "STT_PROVIDERS"),
        (["ELEVENLABS_API_KEY": "xi", "ELEVENLABS_VOICE_ID": "../../v1/user"], "ELEVENLABS_VOICE_ID"),
        (["ELEVENLABS_API_KEY": "xi", "ELEVENLABS_OUTPUT_FORMAT": "mp3_44100_128"], "ELEVENLABS_OUTPUT_FORMAT"),
        (["ELEVENLABS_API_KEY": "xi", "ELEVENLABS_URL": "http://api.elevenlabs.io/v1/text-to-speech"], "ELEVENLABS_URL"),
        (["TTS_PROVIDERS": "openai-realtime"], "TTS_PROVIDERS"),
        (["OPENAI_REALTIME_URL": "https://api.openai.com/v1/realtime"], "OPENAI_REALTIME_URL"),
        (["URA_BOT": "llm", "LLM_PROVIDERS": "local", "LOCAL_BASE_URL": "http://127.0.0.1:1/v1", "STT_PROVIDERS": "openai-realtime", "TTS_PROVIDERS": "local"], "OPENAI_API_KEY"),
        (["PROVIDER_CA_FILE": "/no/such/ca.pem"], "PROVIDER_CA_FILE"),
        (["TTS_SPEED": "fast"], "TTS_SPEED"),
        (["TTS_SPEED": "5"], "TTS_SPEED"),
        (["TTS_FORMAT": "mp3"], "TTS_FORMAT"),
        (["PROVIDER_FIRST_BYTE_TIMEOUT_MS": "10"], "PROVIDER_FIRST_BYTE_TIMEOUT_MS"),
        (["PROVIDER_MAX_RETRIES": "99"], "PROVIDER_MAX_RETRIES"),
        (["PROVIDER_PRICES": "openai=1"], "PROVIDER_PRICES"),
        (["PROVIDER_PRICES": "openai.prompt_per_mtok=cheap"], "PROVIDER_PRICES"),
        (["PROVIDER_PRICES": "openai.per_call=1"], "PROVIDER_PRICES"),
        (["PROVIDER_PRICES": "openai.prompt_per_mtok=-1"], "PROVIDER_PRICES"),
    ])
    func badValueNamesItsVariable(extra: [String: String], variable: String) throws {
        let error = try #require(failure(extra))
        #expect(error.variable == variable)
        #expect(error.description.contains("example: ") && !error.description.contains("\n"))
    }

    @Test func deepgramIsASpeechToTextChainEntry() throws {
        let caFile = FileManager.default.temporaryDirectory.appending(path: "ca-\(UUID().uuidString).pem").path
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: caFile))
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let ai = try load(["STT_PROVIDERS": "deepgram,offline", "DEEPGRAM_API_KEY": "dg-key", "DEEPGRAM_MODEL": "nova-2", "PROVIDER_CA_FILE": caFile])
        #expect(ai.sttChain == [.deepgram, .offline])
        let deepgram = try #require(ai.deepgram)
        #expect(deepgram.url.absoluteString == "wss://api.deepgram.com/v1/listen")
        #expect(deepgram.apiKey.reveal() == "dg-key" && deepgram.model == "nova-2" && deepgram.endpointingMilliseconds == 300)
        #expect(ai.caFile == caFile)
        #expect(try load([:]).deepgram == nil)
    }

    @Test func elevenLabsIsATextToSpeechChainEntry() throws {
        let ai = try load(["TTS_PROVIDERS": "elevenlabs,offline", "ELEVENLABS_API_KEY": "xi-key", "ELEVENLABS_VOICE_ID": "EXAVITQu4vr4xnSDxMaL"])
        #expect(ai.ttsChain == [.elevenlabs, .offline])
        let elevenLabs = try #require(ai.elevenLabs)
        #expect(elevenLabs.url.absoluteString == "wss://api.elevenlabs.io/v1/text-to-speech")
        #expect(elevenLabs.apiKey.reveal() == "xi-key" && elevenLabs.voice == "EXAVITQu4vr4xnSDxMaL")
        #expect(elevenLabs.model == "eleven_flash_v2_5" && elevenLabs.outputFormat == "ulaw_8000")
        #expect(try load([:]).elevenLabs == nil)
    }

    @Test func theRealtimeSocketSitsBesideTheRESTRoot() throws {
        let ai = try load(["STT_PROVIDERS": "openai-realtime,openai", "OPENAI_API_KEY": "sk"])
        #expect(ai.sttChain == [.openaiRealtime, .openai])
        #expect(ai.realtime.url.absoluteString == "wss://api.openai.com/v1/realtime" && ai.realtime.transcriptionModel == "gpt-4o-transcribe")
        let local = try load(["OPENAI_BASE_URL": "http://127.0.0.1:8000/v1/"])
        #expect(local.realtime.url.absoluteString == "ws://127.0.0.1:8000/v1/realtime")
        let chosen = try load(["OPENAI_REALTIME_URL": "wss://gateway.example.com/realtime", "OPENAI_REALTIME_STT_MODEL": "gpt-4o-mini-transcribe"])
        #expect(chosen.realtime.url.absoluteString == "wss://gateway.example.com/realtime" && chosen.realtime.transcriptionModel == "gpt-4o-mini-transcribe")
    }

    @Test func selfHostedOpenAIServerNeedsNoKey() throws {
        let ai = try load(["URA_BOT": "llm", "OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"])
        #expect(ai.openAI.apiKey == nil)
    }

    @Test func apiKeyNeverShowsInDescriptions() throws {
        let config = try Configuration.load(environment: minimal.merging(["OPENAI_API_KEY": "sk-very-secret", "LOCAL_BASE_URL": "http://127.0.0.1:1/v1", "LOCAL_API_KEY": "lk-secret"]) { _, new in new })
        var dumped = ""
        dump(config, to: &dumped)
        #expect(!dumped.contains("sk-very-secret") && !dumped.contains("lk-secret"))
    }
}
