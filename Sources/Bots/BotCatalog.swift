import Calls
import Flows
import Logging
import Providers
import Settings
import Voice

/// Builds each call's bot from the configuration: ``BotFactory`` for ``CallService``.
///
/// `loopback` needs nothing; `llm` runs the conversation pipeline on the configured provider
/// chains (each call gets its own cost meter); `echo` and `flow:` run it on an offline brain
/// with whatever recogniser and synthesiser chains are configured.
public struct BotCatalog: BotFactory {
    /// Per-call extras the catalog hands each conversation (observers for logs, operator events, demo).
    public typealias ObserverFactory = @Sendable (CallContext) -> any ConversationObserver

    public var loopbackDelay: Duration
    public var providers: ProviderFactory?
    public var conversation: ConversationSettings
    public var offlineBrains: @Sendable (BotChoice, CallContext) throws -> (any DialogBrain)?
    public var observers: ObserverFactory
    /// Receives each call's cost meter (for its record and the cost metrics).
    public var meters: @Sendable (_ callID: String, CostMeter) -> Void
    public var logger: Logger

    /// A bot the configuration cannot build.
    public struct Unavailable: Error, CustomStringConvertible {
        public let bot: BotChoice
        public let reason: String
        public var description: String { "bot \(bot) is not available: \(reason)" }
    }

    public init(
        loopbackDelay: Duration, providers: ProviderFactory?, conversation: ConversationSettings = ConversationSettings(),
        offlineBrains: @escaping @Sendable (BotChoice, CallContext) throws -> (any DialogBrain)? = BotCatalog.offlineBrains(from: FlowLibrary(directory: "")),
        observers: @escaping ObserverFactory = { _ in SilentObserver() },
        meters: @escaping @Sendable (_ callID: String, CostMeter) -> Void = { _, _ in }, logger: Logger
    ) {
        self.meters = meters
        self.loopbackDelay = loopbackDelay
        self.providers = providers
        self.conversation = conversation
        self.offlineBrains = offlineBrains
        self.observers = observers
        self.logger = logger
    }

    public func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
        switch call.bot {
        case .loopback:
            return LoopbackBot(delay: loopbackDelay)
        case .llm:
            guard let providers else { throw Unavailable(bot: call.bot, reason: "no AI providers configured") }
            let meter = providers.makeCostMeter()
            guard let brain = providers.makeBrain(meter: meter) else {
                throw Unavailable(bot: call.bot, reason: "LLM_PROVIDERS names no usable brain")
            }
            return try conversational(call, brain: brain, meter: meter)
        case .realtime:
            guard let providers else { throw Unavailable(bot: call.bot, reason: "no AI providers configured") }
            return speechToSpeech(call, providers: providers)
        case .echo, .flow:
            guard let brain = try offlineBrains(call.bot, call) else {
                throw Unavailable(bot: call.bot, reason: "this build has no offline brain for it")
            }
            return try conversational(call, brain: brain, meter: providers?.makeCostMeter())
        }
    }

    private func conversational(_ call: CallContext, brain: any DialogBrain, meter: CostMeter?) throws -> ConversationBot {
        guard let providers, let meter,
              let recognizer = providers.makeRecognizer(meter: meter), let synthesizer = providers.makeSynthesizer(meter: meter)
        else {
            throw Unavailable(bot: call.bot, reason: "no speech recogniser or synthesiser configured (STT_PROVIDERS, TTS_PROVIDERS)")
        }
        meters(call.callID, meter)
        let (settings, observer, logger, conversationStart) = prepare(call)
        let transferSource: TransferSource = switch call.bot {
        case .llm, .realtime: .llm
        case .flow: .flow
        case .echo, .loopback: .bot
        }
        return ConversationBot(transferSource: transferSource) { [settings, logger] output, control in
            ConversationPipeline(
                recognizer: recognizer, brain: brain, synthesizer: synthesizer, output: output, control: control,
                converters: SpeexConverter.factory, conversation: conversationStart, settings: settings, observer: observer,
                logger: logger)
        }
    }

    /// What every conversation of `call` starts from: its settings in its language, its observer,
    /// a logger with its id, and the conversation with its caller and Stasis variables.
    private func prepare(_ call: CallContext) -> (ConversationSettings, any ConversationObserver, Logger, Conversation) {
        var settings = conversation
        settings.language = Self.language(of: call, default: settings.language)
        var logger = logger
        logger[metadataKey: "call_id"] = .string(call.callID)
        let start = Conversation(
            language: settings.language, callerNumber: call.callerNumber.isEmpty ? nil : call.callerNumber, variables: call.variables)
        return (settings, observers(call), logger, start)
    }

    /// `realtime`: the speech-to-speech model hears and speaks; the synthesiser chain, when there
    /// is one, only says the failure policy's lines.
    private func speechToSpeech(_ call: CallContext, providers: ProviderFactory) -> ConversationBot {
        let meter = providers.makeCostMeter()
        meters(call.callID, meter)
        let (settings, observer, logger, conversationStart) = prepare(call)
        let model = RealtimeSpeechModel(
            settings: providers.realtimeSettings, promptOverrides: providers.settings.systemPrompts,
            transferAllowList: providers.transferAllowList, meter: meter, logger: logger)
        let voice = providers.makeSynthesizer(meter: meter)
        return ConversationBot(transferSource: .llm) { [settings, logger] output, control in
            SpeechToSpeechConversation(
                model: model, voice: voice, output: output, control: control, converters: SpeexConverter.factory,
                conversation: conversationStart, settings: settings, observer: observer, logger: logger)
        }
    }

    /// Echo and flow brains, with every flow of `directory` loaded now (benches and tests).
    /// - Throws: ``FlowLoadError`` for the first bad flow.
    public static func offlineBrains(loadingFlowsFrom directory: String) throws -> @Sendable (BotChoice, CallContext) throws -> (any DialogBrain)? {
        offlineBrains(from: try FlowLibrary.load(directory: directory))
    }

    /// Echo and flow brains, flows taken from `library` (loaded at start and on SIGHUP, never on a call's path).
    public static func offlineBrains(
        from library: FlowLibrary, tools: (any FlowToolRunner)? = nil
    ) -> @Sendable (BotChoice, CallContext) throws -> (any DialogBrain)? {
        { choice, _ in try OfflineBrains.brain(for: choice, in: library, tools: tools) }
    }

    /// `lang=` from the Stasis arguments, else the channel's language (`pt_BR` → `pt-BR`).
    static func language(of call: CallContext, default fallback: String) -> String {
        let raw = call.variables["lang"] ?? call.language
        guard !raw.isEmpty else { return fallback }
        let parts = raw.replacingOccurrences(of: "_", with: "-").split(separator: "-")
        guard let first = parts.first else { return fallback }
        if parts.count == 1 { return first.lowercased() == "pt" ? "pt-BR" : first.lowercased() == "en" ? "en-US" : String(first) }
        return first.lowercased() + "-" + parts[1].uppercased()
    }
}

import Foundation
