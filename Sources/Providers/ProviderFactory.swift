import Foundation
import HTTP
import Settings
import Tools
import Voice

/// Builds the configured provider chains: one ``FallbackBrain``, ``FallbackRecognizer`` and
/// ``FallbackSynthesizer`` per call, over HTTP clients, Google tokens and stats shared by all calls.
///
/// The chains follow `LLM_PROVIDERS`, `STT_PROVIDERS` and `TTS_PROVIDERS`. The `offline`
/// entry is filled with the engines the pipeline passes in (ura's own offline recogniser and
/// synthesiser); without one it is left out of the chain. Each call gets providers that
/// record into its own ``CostMeter`` (whose parent, ``totalCost``, sums every call).
///
/// - Important: call ``shutdown()`` when ura stops; it ends the HTTP clients' threads.
public final class ProviderFactory: Sendable {
    /// Engines that need no network, for the `offline` chain entries.
    public struct Offline: Sendable {
        public var recognizer: (any SpeechRecognizer)?
        public var synthesizer: (any SpeechSynthesizer)?

        public init(recognizer: (any SpeechRecognizer)? = nil, synthesizer: (any SpeechSynthesizer)? = nil) {
            self.recognizer = recognizer
            self.synthesizer = synthesizer
        }
    }

    public let settings: AIProviders
    public let stats: ProviderStats
    /// Every call's usage and cost together.
    public let totalCost: CostMeter
    private let offline: Offline
    private let openAI: ProviderEndpoint
    private let local: ProviderEndpoint?
    private let google: ProviderEndpoint?
    private let googleTokens: GoogleAccessToken?
    private let clients: [HTTPClient]
    /// Where the LLM's `transfer_call` may send callers; nil: anywhere valid.
    public let transferAllowList: TransferAllowList?
    /// The business's tools (`TOOLS_FILE`) and what runs them; nil: the call-control tools only.
    private let businessTools: (shelf: ToolShelf, runner: ToolRunner)?

    /// What runs the business's tools, for flows' `tool` steps too; nil without `TOOLS_FILE`.
    public var toolRunner: ToolRunner? { businessTools?.runner }

    /// - Parameter googleBaseURLs: where the Google APIs are (tests point them at local servers).
    /// - Throws: ``ProviderError/misconfigured(provider:reason:)`` when a chain names Google and
    ///   its credentials file is unusable.
    public init(
        settings: AIProviders, offline: Offline = Offline(), stats: ProviderStats = ProviderStats(), googleBaseURLs: GoogleBaseURLs = GoogleBaseURLs(),
        transferAllowList: TransferAllowList? = nil, tools: ToolShelf? = nil
    ) throws {
        self.transferAllowList = transferAllowList
        self.settings = settings
        self.offline = offline
        self.stats = stats
        self.totalCost = CostMeter(prices: settings.prices)
        self.googleBaseURLs = googleBaseURLs
        let timeouts = ProviderTimeouts(
            connect: .milliseconds(settings.connectTimeoutMilliseconds), firstByte: .milliseconds(settings.firstByteTimeoutMilliseconds))
        let retry = RetryPolicy(maxRetries: settings.maxRetries, budget: .milliseconds(settings.retryBudgetMilliseconds))
        func endpoint(_ provider: String, _ client: HTTPClient) -> ProviderEndpoint {
            ProviderEndpoint(provider: provider, client: client, timeouts: timeouts, retry: retry, stats: stats)
        }
        var clients = [HTTPClient(name: "ura-openai")]
        openAI = endpoint("openai", clients[0])
        if let tools {
            // Their own client: a slow business API never queues behind the model's requests.
            clients.append(HTTPClient(name: "ura-tools"))
            businessTools = (tools, ToolRunner(http: clients[clients.count - 1]))
        } else {
            businessTools = nil
        }
        if settings.local != nil {
            clients.append(HTTPClient(name: "ura-local-ai"))
            local = endpoint("local", clients[clients.count - 1])
        } else {
            local = nil
        }
        let chains = settings.sttChain + settings.ttsChain
        if chains.contains(.google) {
            guard let path = settings.googleCredentialsPath else {
                throw ProviderError.misconfigured(provider: "google", reason: "GOOGLE_APPLICATION_CREDENTIALS is not set")
            }
            let client = HTTPClient(name: "ura-google")
            clients.append(client)
            let google = endpoint("google", client)
            self.google = google
            do {
                googleTokens = try GoogleAccessToken(account: GoogleServiceAccount(contentsOf: path), endpoint: google)
            } catch {
                for client in clients { client.shutdown() }
                throw error
            }
        } else {
            google = nil
            googleTokens = nil
        }
        self.clients = clients
    }

    /// Where the Google REST APIs are.
    public struct GoogleBaseURLs: Sendable {
        public var speechToText: URL
        public var textToSpeech: URL

        public init(
            speechToText: URL = URL(string: "https://speech.googleapis.com")!,
            textToSpeech: URL = URL(string: "https://texttospeech.googleapis.com")!
        ) {
            self.speechToText = speechToText
            self.textToSpeech = textToSpeech
        }
    }

    private let googleBaseURLs: GoogleBaseURLs

    /// A meter for one call, adding into ``totalCost``.
    public func makeCostMeter() -> CostMeter { CostMeter(prices: settings.prices, parent: totalCost) }

    /// The brain chain for one call.
    /// - Returns: nil when the chain is empty.
    public func makeBrain(meter: CostMeter) -> FallbackBrain? {
        let brains: [any DialogBrain] = settings.llmChain.compactMap { choice in
            switch choice {
            case .openai: brain(openAI, settings.openAI, meter)
            case .local: local.flatMap { endpoint in settings.local.map { brain(endpoint, $0, meter) } }
            case .offline, .google, .deepgram, .elevenlabs, .openaiRealtime: nil  // refused in LLM_PROVIDERS at start
            }
        }
        return brains.isEmpty ? nil : FallbackBrain(brains, stats: stats)
    }

    /// The recogniser chain for one call.
    /// - Returns: nil when the chain is left empty (only `offline`, and no offline recogniser given).
    public func makeRecognizer(meter: CostMeter) -> FallbackRecognizer? {
        let recognizers: [any SpeechRecognizer] = settings.sttChain.compactMap { choice in
            switch choice {
            case .openai: transcriber(openAI, settings.openAI, meter)
            case .local: local.flatMap { endpoint in settings.local.map { transcriber(endpoint, $0, meter) } }
            case .google: google.flatMap { endpoint in
                    googleTokens.map { GoogleSpeechToText(endpoint: endpoint, tokens: $0, baseURL: googleBaseURLs.speechToText, meter: meter) }
                }
            case .deepgram: settings.deepgram.map { server in
                    DeepgramRecognizer(
                        settings: DeepgramSettings(
                            url: server.url, apiKey: server.apiKey.reveal(), model: server.model,
                            endpointingMilliseconds: server.endpointingMilliseconds,
                            connectTimeout: .milliseconds(settings.connectTimeoutMilliseconds),
                            finalTimeout: .milliseconds(settings.firstByteTimeoutMilliseconds), caFile: settings.caFile),
                        meter: meter)
                }
            case .openaiRealtime:
                RealtimeTranscriber(settings: realtimeSettings, meter: meter)
            case .elevenlabs: nil  // refused in STT_PROVIDERS at start
            case .offline: offline.recognizer
            }
        }
        return recognizers.isEmpty ? nil : FallbackRecognizer(recognizers, stats: stats)
    }

    /// The synthesiser chain for one call.
    /// - Returns: nil when the chain is left empty (only `offline`, and no offline synthesiser given).
    public func makeSynthesizer(meter: CostMeter) -> FallbackSynthesizer? {
        let synthesizers: [any SpeechSynthesizer] = settings.ttsChain.compactMap { choice in
            switch choice {
            case .openai: speech(openAI, settings.openAI, meter)
            case .local: local.flatMap { endpoint in settings.local.map { speech(endpoint, $0, meter) } }
            case .google: google.flatMap { endpoint in
                    googleTokens.map {
                        GoogleTextToSpeech(
                            endpoint: endpoint, tokens: $0, voices: settings.googleVoices, baseURL: googleBaseURLs.textToSpeech,
                            speakingRate: settings.ttsSpeed, meter: meter)
                    }
                }
            case .elevenlabs: settings.elevenLabs.map { server in
                    ElevenLabsSpeech(
                        settings: ElevenLabsSettings(
                            url: server.url, apiKey: server.apiKey.reveal(), voice: server.voice, model: server.model,
                            outputFormat: ElevenLabsSettings.OutputFormat(rawValue: server.outputFormat) ?? .ulaw8000, speed: settings.ttsSpeed,
                            connectTimeout: .milliseconds(settings.connectTimeoutMilliseconds),
                            firstAudioTimeout: .milliseconds(settings.firstByteTimeoutMilliseconds), caFile: settings.caFile),
                        meter: meter)
                }
            case .deepgram, .openaiRealtime: nil  // refused in TTS_PROVIDERS at start
            case .offline: offline.synthesizer
            }
        }
        return synthesizers.isEmpty ? nil : FallbackSynthesizer(synthesizers, stats: stats)
    }

    /// The Realtime API's address, key and models, with the configured deadlines.
    public var realtimeSettings: RealtimeSettings {
        RealtimeSettings(
            url: settings.realtime.url, apiKey: settings.openAI.apiKey?.reveal(), transcriptionModel: settings.realtime.transcriptionModel,
            model: settings.realtime.model, voice: settings.realtime.voice, silenceMilliseconds: settings.realtime.silenceMilliseconds,
            connectTimeout: .milliseconds(settings.connectTimeoutMilliseconds),
            finalTimeout: .milliseconds(settings.firstByteTimeoutMilliseconds), caFile: settings.caFile)
    }

    /// Ends the HTTP clients' threads; requests in flight fail. Idempotent.
    public func shutdown() {
        for client in clients { client.shutdown() }
    }

    private func brain(_ endpoint: ProviderEndpoint, _ server: AIProviders.OpenAIServer, _ meter: CostMeter) -> OpenAIChatBrain {
        OpenAIChatBrain(
            endpoint: endpoint, server: OpenAIServerAccess(baseURL: server.baseURL, apiKey: server.apiKey), model: server.llmModel,
            systemPrompts: settings.systemPrompts, historyTurns: settings.historyTurns, historyTokens: settings.historyTokens, meter: meter,
            transferAllowList: transferAllowList, businessTools: businessTools?.shelf, runner: businessTools?.runner)
    }

    private func transcriber(_ endpoint: ProviderEndpoint, _ server: AIProviders.OpenAIServer, _ meter: CostMeter) -> OpenAITranscriber {
        OpenAITranscriber(endpoint: endpoint, server: OpenAIServerAccess(baseURL: server.baseURL, apiKey: server.apiKey), model: server.sttModel,
            prompt: settings.sttPrompt, meter: meter)
    }

    private func speech(_ endpoint: ProviderEndpoint, _ server: AIProviders.OpenAIServer, _ meter: CostMeter) -> OpenAISpeech {
        OpenAISpeech(
            endpoint: endpoint, server: OpenAIServerAccess(baseURL: server.baseURL, apiKey: server.apiKey), model: server.ttsModel,
            voice: server.ttsVoice, speed: settings.ttsSpeed, format: settings.ttsFormat == .wav ? .wav : .pcm, meter: meter)
    }
}
