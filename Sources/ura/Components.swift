import ARI
import Bots
import Providers
import Calls
import HTTP
import Logging
import Media
import Settings
import Voice

/// Builds ura's parts from the configuration; shared by `serve`, `check` and `demo`.
extension Configuration {
    func makeARIClient(http: HTTPClient, logger: Logger) -> ARIClient {
        ARIClient(
            configuration: .init(
                url: ari.url, username: ari.username, password: ari.password.reveal(),
                requestTimeout: .milliseconds(ari.requestTimeoutMilliseconds)),
            httpClient: http, logger: logger)
    }

    func makeEventConnection() -> ARIEventConnection {
        ARIEventConnection(baseURL: ari.url, applications: [ari.app], username: ari.username, password: ari.password.reveal())
    }

    func makeMediaEngine() throws -> MediaEngine {
        try MediaEngine(bindAddress: media.bindAddress, ports: media.ports)
    }

    var callSettings: CallSession.Settings {
        CallSession.Settings(
            application: ari.app, format: AudioFormat(rawValue: media.format.rawValue) ?? .ulaw,
            advertiseAddress: media.advertiseAddress, jitterWindow: .milliseconds(media.jitterBufferMilliseconds),
            defaultBot: bot)
    }

    /// How every call's conversation behaves; each call sets its own language.
    var conversationSettings: ConversationSettings {
        var settings = ConversationSettings()
        let action: ProviderFailurePolicy.Action = switch providerFailure.action {
        case .apologize: .apologize
        case .transfer(let destination): .transfer(destination: destination)
        case .hangUp: .hangUp
        }
        settings.onProviderFailure = ProviderFailurePolicy(action: action, threshold: providerFailure.threshold)
        settings.turn.endpointSilence = .milliseconds(turnTaking.endpointSilenceMilliseconds)
        settings.turn.maximumUtterance = .seconds(turnTaking.maximumUtteranceSeconds)
        settings.turn.noInputTimeout = .milliseconds(turnTaking.noInputTimeoutMilliseconds)
        settings.turn.maximumReprompts = turnTaking.noInputReprompts
        settings.turn.maximumCallDuration = .seconds(turnTaking.maximumCallSeconds)
        settings.turn.bargeIn = turnTaking.bargeIn
        settings.turn.bargeInMinimumSpeech = .milliseconds(turnTaking.bargeInMinimumSpeechMilliseconds)
        if let words = turnTaking.backchannels { settings.turn.backchannels = Set(words) }
        return settings
    }

    var shutdownSettings: CallService.Shutdown {
        CallService.Shutdown(drain: .seconds(shutdown.drainSeconds), remainingCalls: shutdown.remainingCalls)
    }
}

extension Configuration {
    /// The AI provider chains with the offline engines as their `offline` entry.
    func makeProviders() async throws -> ProviderFactory {
        let offline = try await OfflineEngines.load(sampleRate: media.format == .g722 ? 16000 : 8000)
        return try ProviderFactory(settings: ai, offline: offline)
    }

    /// Loads the default bot's flow now, so a bad flow file stops ura at start, not at the first call.
    func checkDefaultBot() throws {
        _ = try BotCatalog.sharedOfflineBrains(bot, CallContext.placeholder)
    }
}
