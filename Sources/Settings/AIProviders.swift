import Foundation

/// The conversational AI services ura talks to: models, servers, credentials, fallback order,
/// timeouts and prices.
///
/// Only read by the `llm` bot; with another bot these values are parsed and checked but unused.
public struct AIProviders: Sendable, Equatable {
    /// One OpenAI-compatible server (OpenAI itself, or Ollama, llama.cpp, vLLM, LocalAI,
    /// faster-whisper and OpenAI-style TTS servers run locally).
    public struct OpenAIServer: Sendable, Equatable {
        /// The API root including `/v1`, e.g. `https://api.openai.com/v1`.
        public var baseURL: URL
        /// Sent as `Authorization: Bearer`; local servers usually need none.
        public var apiKey: Secret?
        public var llmModel: String
        public var sttModel: String
        public var ttsModel: String
        public var ttsVoice: String
    }

    public var openAI: OpenAIServer
    /// A second OpenAI-compatible server for the `local` chain entry; nil without `LOCAL_BASE_URL`.
    public var local: OpenAIServer?
    /// Speaking rate for OpenAI-style TTS, 0.25...4.
    public var ttsSpeed: Double
    /// How OpenAI-style TTS audio is requested.
    public var ttsFormat: SpeechFormat
    /// Words that prime speech-to-text (names, jargon), sent as the transcription `prompt`.
    public var sttPrompt: String?
    /// System prompt overrides by language family (`en`, `pt`); absent languages use ura's defaults.
    public var systemPrompts: [String: String]
    /// Deepgram's live speech-to-text; nil without `DEEPGRAM_API_KEY`.
    public var deepgram: DeepgramServer?
    /// OpenAI's Realtime API, over `OPENAI_API_KEY`.
    public var realtime: RealtimeServer
    /// ElevenLabs' streaming text-to-speech; nil without `ELEVENLABS_API_KEY`.
    public var elevenLabs: ElevenLabsServer?
    /// A PEM file of certificate authorities that provider servers' certificates must chain to,
    /// in place of the system's (`PROVIDER_CA_FILE`, for private deployments); used by the
    /// WebSocket providers.
    public var caFile: String?
    /// The Google service account JSON file.
    public var googleCredentialsPath: String?
    /// Google TTS voice names by language family (`en`, `pt`).
    public var googleVoices: [String: String]
    /// Providers tried in order, per role.
    public var llmChain: [ProviderChoice]
    public var sttChain: [ProviderChoice]
    public var ttsChain: [ProviderChoice]
    /// Deadline to open a TCP/TLS connection to a provider.
    public var connectTimeoutMilliseconds: Int
    /// Deadline from sending a request to the first byte of the answer's body.
    public var firstByteTimeoutMilliseconds: Int
    /// Time one provider call may spend retrying before its role falls back to the next provider.
    public var retryBudgetMilliseconds: Int
    /// Retries after the first attempt (429, 5xx, connection errors).
    public var maxRetries: Int
    /// Most caller/bot turns of history sent to the LLM.
    public var historyTurns: Int
    /// Estimated token budget of the history sent to the LLM (system prompt excluded).
    public var historyTokens: Int
    /// What each provider's usage costs.
    public var prices: PriceTable
}

/// Where ura reaches Deepgram and what it asks for.
public struct DeepgramServer: Sendable, Equatable {
    /// `wss://api.deepgram.com/v1/listen`, or a self-hosted deployment's.
    public var url: URL
    /// Sent as `Authorization: Token`.
    public var apiKey: Secret
    public var model: String
    /// The silence after which Deepgram ends an utterance on its own.
    public var endpointingMilliseconds: Int
}

/// Where ura reaches OpenAI's Realtime API and the models it asks for there.
public struct RealtimeServer: Sendable, Equatable {
    /// `wss://api.openai.com/v1/realtime` by default: `OPENAI_BASE_URL`'s host and path.
    public var url: URL
    /// The transcription model of the `openai-realtime` recogniser, and of the caller's side
    /// of `URA_BOT=realtime`.
    public var transcriptionModel: String
    /// The speech-to-speech model of `URA_BOT=realtime`.
    public var model: String
    public var voice: String
    /// The silence after which the model's turn detection judges the caller done.
    public var silenceMilliseconds: Int
}

/// Where ura reaches ElevenLabs and the voice it asks for.
public struct ElevenLabsServer: Sendable, Equatable {
    /// `wss://api.elevenlabs.io/v1/text-to-speech`; the voice and `/stream-input` are appended.
    public var url: URL
    /// Sent as `xi-api-key`.
    public var apiKey: Secret
    /// A voice id from the ElevenLabs voice library.
    public var voice: String
    public var model: String
    /// `ulaw_8000` or `pcm_16000`.
    public var outputFormat: String
}

/// One entry of a provider chain (`LLM_PROVIDERS`, `STT_PROVIDERS`, `TTS_PROVIDERS`).
public enum ProviderChoice: String, Sendable, Equatable, CaseIterable {
    /// The server at `OPENAI_BASE_URL`.
    case openai
    /// The server at `LOCAL_BASE_URL`.
    case local
    /// Google Cloud Speech-to-Text / Text-to-Speech (not an LLM).
    case google
    /// Deepgram's live speech-to-text (speech-to-text only).
    case deepgram
    /// ElevenLabs' streaming text-to-speech (text-to-speech only).
    case elevenlabs
    /// OpenAI's Realtime API as a streaming recogniser (speech-to-text only).
    case openaiRealtime = "openai-realtime"
    /// ura's built-in offline engine for the role, supplied by the pipeline.
    case offline
}

/// Audio format requested from an OpenAI-style `/audio/speech` endpoint (`TTS_FORMAT`).
public enum SpeechFormat: String, ConfigurationChoice {
    /// Raw 24 kHz 16-bit little-endian mono, streamed: the lowest first-audio delay.
    case pcm
    /// A WAV file at the server's rate; for servers without raw PCM output.
    case wav
}

extension EnvironmentReader {
    func aiProviders(bot: BotChoice) throws(ConfigurationError) -> AIProviders {
        let openAI = AIProviders.OpenAIServer(
            baseURL: try httpURL("OPENAI_BASE_URL", default: "https://api.openai.com/v1"),
            apiKey: try optionalSecret("OPENAI_API_KEY"),
            llmModel: string("LLM_MODEL", default: "gpt-4o-mini"),
            sttModel: string("STT_MODEL", default: "whisper-1"),
            ttsModel: string("TTS_MODEL", default: "gpt-4o-mini-tts"),
            ttsVoice: string("TTS_VOICE", default: "alloy"))
        var local: AIProviders.OpenAIServer?
        if value("LOCAL_BASE_URL") != nil {
            local = AIProviders.OpenAIServer(
                baseURL: try httpURL("LOCAL_BASE_URL", default: "http://127.0.0.1:11434/v1"),
                apiKey: try optionalSecret("LOCAL_API_KEY"),
                llmModel: string("LOCAL_LLM_MODEL", default: openAI.llmModel),
                sttModel: string("LOCAL_STT_MODEL", default: openAI.sttModel),
                ttsModel: string("LOCAL_TTS_MODEL", default: openAI.ttsModel),
                ttsVoice: string("LOCAL_TTS_VOICE", default: openAI.ttsVoice))
        }
        // Speech works out of the box: with nothing configured it is the offline engines, and a
        // configured OpenAI-compatible server comes first with the offline engines behind it.
        let speechDefault: [ProviderChoice] = openAI.apiKey != nil || openAI.baseURL.host != "api.openai.com"
            ? [.openai, .offline] : [.offline]
        // ura has no offline language model: the bot that needs no network is a flow
        // (`URA_BOT=flow:<name>`), not an `llm` whose chain ends offline.
        let llmChain = try chain("LLM_PROVIDERS", default: [.openai], allowed: [.openai, .local])
        let sttChain = try chain("STT_PROVIDERS", default: speechDefault, allowed: Set(ProviderChoice.allCases).subtracting([.elevenlabs]))
        let ttsChain = try chain("TTS_PROVIDERS", default: speechDefault, allowed: Set(ProviderChoice.allCases).subtracting([.deepgram, .openaiRealtime]))
        let all = llmChain + sttChain + ttsChain
        if all.contains(.local), local == nil {
            throw ConfigurationError(
                variable: "LOCAL_BASE_URL", problem: "is missing but a provider chain names \"local\"",
                example: "LOCAL_BASE_URL=http://127.0.0.1:11434/v1")
        }
        // OpenAI proper refuses every request without a key; a self-hosted server at
        // OPENAI_BASE_URL may not need one.
        if bot == .llm, all.contains(.openai) || all.contains(.openaiRealtime), openAI.apiKey == nil, openAI.baseURL.host == "api.openai.com" {
            throw ConfigurationError(variable: "OPENAI_API_KEY", problem: "is missing and URA_BOT=llm uses OpenAI", example: "OPENAI_API_KEY=sk-...")
        }
        var deepgram: DeepgramServer?
        if let key = try optionalSecret("DEEPGRAM_API_KEY") {
            deepgram = DeepgramServer(
                url: try url("DEEPGRAM_URL", default: "wss://api.deepgram.com/v1/listen", schemes: ["wss", "ws"]), apiKey: key,
                model: string("DEEPGRAM_MODEL", default: "nova-3"),
                endpointingMilliseconds: try integer("DEEPGRAM_ENDPOINTING_MS", default: 300, in: 10...5000))
        } else if sttChain.contains(.deepgram) {
            throw ConfigurationError(
                variable: "DEEPGRAM_API_KEY", problem: "is missing but STT_PROVIDERS names \"deepgram\"", example: "DEEPGRAM_API_KEY=...")
        }
        let realtime = RealtimeServer(
            url: try url("OPENAI_REALTIME_URL", default: Self.realtimeURL(for: openAI.baseURL), schemes: ["wss", "ws"]),
            transcriptionModel: string("OPENAI_REALTIME_STT_MODEL", default: "gpt-4o-transcribe"),
            model: string("OPENAI_REALTIME_MODEL", default: "gpt-realtime"),
            voice: string("OPENAI_REALTIME_VOICE", default: "alloy"),
            silenceMilliseconds: try integer("OPENAI_REALTIME_SILENCE_MS", default: 500, in: 100...5000))
        if bot == .realtime, openAI.apiKey == nil, realtime.url.host == "api.openai.com" {
            throw ConfigurationError(variable: "OPENAI_API_KEY", problem: "is missing and URA_BOT=realtime uses OpenAI", example: "OPENAI_API_KEY=sk-...")
        }
        var elevenLabs: ElevenLabsServer?
        if let key = try optionalSecret("ELEVENLABS_API_KEY") {
            let voice = string("ELEVENLABS_VOICE_ID", default: "JBFqnCBsd6RMkjVDRZzb")
            // The id becomes a path segment of the socket's URL.
            guard !voice.isEmpty, voice.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ConfigurationError(
                    variable: "ELEVENLABS_VOICE_ID", problem: "is \"\(voice)\", not a voice id (letters and digits)",
                    example: "ELEVENLABS_VOICE_ID=JBFqnCBsd6RMkjVDRZzb")
            }
            let format = string("ELEVENLABS_OUTPUT_FORMAT", default: "ulaw_8000")
            guard ["ulaw_8000", "pcm_16000"].contains(format) else {
                throw ConfigurationError(
                    variable: "ELEVENLABS_OUTPUT_FORMAT", problem: "is \"\(format)\", not ulaw_8000 or pcm_16000",
                    example: "ELEVENLABS_OUTPUT_FORMAT=ulaw_8000")
            }
            elevenLabs = ElevenLabsServer(
                url: try url("ELEVENLABS_URL", default: "wss://api.elevenlabs.io/v1/text-to-speech", schemes: ["wss", "ws"]), apiKey: key,
                voice: voice, model: string("ELEVENLABS_MODEL", default: "eleven_flash_v2_5"), outputFormat: format)
        } else if ttsChain.contains(.elevenlabs) {
            throw ConfigurationError(
                variable: "ELEVENLABS_API_KEY", problem: "is missing but TTS_PROVIDERS names \"elevenlabs\"", example: "ELEVENLABS_API_KEY=...")
        }
        let caFile = value("PROVIDER_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ConfigurationError(
                variable: "PROVIDER_CA_FILE", problem: "names \"\(caFile)\", which is not a readable file",
                example: "PROVIDER_CA_FILE=/etc/ura/private-ca.pem")
        }
        let credentials = value("GOOGLE_APPLICATION_CREDENTIALS")
        if all.contains(.google) {
            guard let credentials else {
                throw ConfigurationError(
                    variable: "GOOGLE_APPLICATION_CREDENTIALS", problem: "is missing but a provider chain names \"google\"",
                    example: "GOOGLE_APPLICATION_CREDENTIALS=/etc/ura/google-service-account.json")
            }
            guard FileManager.default.isReadableFile(atPath: credentials) else {
                throw ConfigurationError(
                    variable: "GOOGLE_APPLICATION_CREDENTIALS", problem: "names \"\(credentials)\", which is not a readable file",
                    example: "GOOGLE_APPLICATION_CREDENTIALS=/etc/ura/google-service-account.json")
            }
        }
        var prompts: [String: String] = [:]
        prompts["en"] = value("LLM_SYSTEM_PROMPT_EN")
        prompts["pt"] = value("LLM_SYSTEM_PROMPT_PT")
        return AIProviders(
            openAI: openAI,
            local: local,
            ttsSpeed: try decimal("TTS_SPEED", default: 1.0, in: 0.25...4.0),
            ttsFormat: try choice("TTS_FORMAT", default: .pcm),
            sttPrompt: value("STT_PROMPT"),
            systemPrompts: prompts,
            deepgram: deepgram,
            realtime: realtime,
            elevenLabs: elevenLabs,
            caFile: caFile,
            googleCredentialsPath: credentials,
            googleVoices: [
                "en": string("GOOGLE_TTS_VOICE_EN", default: "en-US-Neural2-F"),
                "pt": string("GOOGLE_TTS_VOICE_PT", default: "pt-BR-Neural2-A"),
            ],
            llmChain: llmChain, sttChain: sttChain, ttsChain: ttsChain,
            connectTimeoutMilliseconds: try integer("PROVIDER_CONNECT_TIMEOUT_MS", default: 2000, in: 100...60_000),
            firstByteTimeoutMilliseconds: try integer("PROVIDER_FIRST_BYTE_TIMEOUT_MS", default: 5000, in: 100...120_000),
            retryBudgetMilliseconds: try integer("PROVIDER_RETRY_BUDGET_MS", default: 4000, in: 0...120_000),
            maxRetries: try integer("PROVIDER_MAX_RETRIES", default: 2, in: 0...10),
            historyTurns: try integer("LLM_HISTORY_TURNS", default: 20, in: 1...1000),
            historyTokens: try integer("LLM_HISTORY_TOKENS", default: 3000, in: 100...1_000_000),
            prices: try PriceTable(parsing: value("PROVIDER_PRICES") ?? "", variable: "PROVIDER_PRICES"))
    }

    /// The Realtime socket beside an OpenAI-style REST root: `https://host/v1` → `wss://host/v1/realtime`.
    static func realtimeURL(for baseURL: URL) -> String {
        var components = URLComponents(url: baseURL.appending(path: "realtime"), resolvingAgainstBaseURL: false)
        components?.scheme = baseURL.scheme == "http" ? "ws" : "wss"
        return components?.string ?? "wss://api.openai.com/v1/realtime"
    }

    func chain(_ name: String, default fallback: [ProviderChoice], allowed: Set<ProviderChoice>) throws(ConfigurationError) -> [ProviderChoice] {
        guard let text = value(name) else { return fallback }
        let example = allowed.contains(.google) ? "\(name)=openai,google,offline" : "\(name)=openai,local"
        var chain: [ProviderChoice] = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let choice = ProviderChoice(rawValue: word), allowed.contains(choice) else {
                let names = ProviderChoice.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
                let offlineNote = word == "offline" ? " (ura has no offline LLM; for a bot without network use URA_BOT=flow:<name>)" : ""
                throw ConfigurationError(variable: name, problem: "names \"\(word)\", not one of \(names)\(offlineNote)", example: example)
            }
            guard !chain.contains(choice) else {
                throw ConfigurationError(variable: name, problem: "names \"\(word)\" twice", example: example)
            }
            chain.append(choice)
        }
        return chain
    }

    func decimal(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let text = value(name) else { return fallback }
        guard let number = Double(text), number.isFinite else {
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not a number", example: "\(name)=\(fallback)")
        }
        guard range.contains(number) else {
            throw ConfigurationError(
                variable: name, problem: "is \(number), outside \(range.lowerBound)...\(range.upperBound)", example: "\(name)=\(fallback)")
        }
        return number
    }

    func httpURL(_ name: String, default fallback: String) throws(ConfigurationError) -> URL {
        try url(name, default: fallback, schemes: ["http", "https"])
    }

    func url(_ name: String, default fallback: String, schemes: [String]) throws(ConfigurationError) -> URL {
        let text = value(name) ?? fallback
        let example = "\(name)=\(fallback)"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme), let host = components.host, !host.isEmpty
        else {
            let allowed = schemes.map { "\($0)://" }.joined(separator: " or ")
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not an \(allowed) URL", example: example)
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed) else {
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", which is not a valid URL", example: example)
        }
        return url
    }
}
