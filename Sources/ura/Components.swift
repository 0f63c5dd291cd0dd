import Audio
import ARI
import ArgumentParser
import Bots
import Flows
import Providers
import Recording
import Calls
import HTTP
import Logging
import Media
import Settings
import StructuredLogging
import Tools
import Voice

/// Builds ura's parts from the configuration; shared by `serve`, `check` and `demo`.
extension Configuration {
    /// The REST client of the `server`th entry of `ARI_URL`.
    func makeARIClient(server: Int, http: HTTPClient, logger: Logger) -> ARIClient {
        ARIClient(
            configuration: .init(
                url: ari.urls[server], username: ari.username, password: ari.password.reveal(),
                requestTimeout: .milliseconds(ari.requestTimeoutMilliseconds)),
            httpClient: http, logger: logger)
    }

    /// The events socket of the `server`th entry of `ARI_URL`.
    func makeEventConnection(server: Int) -> ARIEventConnection {
        ARIEventConnection(baseURL: ari.urls[server], applications: [ari.app], username: ari.username, password: ari.password.reveal())
    }

    /// How the `server`th Asterisk is named in logs when there are several: its host and port.
    func serverName(_ server: Int) -> String {
        let url = ari.urls[server]
        return (url.host ?? url.absoluteString) + (url.port.map { ":\($0)" } ?? "")
    }

    func makeMediaEngine() throws -> MediaEngine {
        try MediaEngine(bindAddress: media.bindAddress, ports: media.ports)
    }

    func callSettings(transfers: TransferAllowList?, server: Int = 0) -> CallSession.Settings {
        var settings = CallSession.Settings(
            application: ari.app, format: media.format,
            advertiseAddress: media.advertiseAddress(server: server), jitterWindow: .milliseconds(media.jitterBufferMilliseconds),
            defaultBot: bot, transferAllowList: transfers, maximumCalls: maximumCalls == 0 ? nil : maximumCalls,
            logTranscripts: logTranscripts)
        settings.namespace = resourceNamespace
        settings.recordingMode = CallRecorder.Mode(rawValue: recording.mode.rawValue)
        settings.recordingsDirectory = recording.directory
        settings.recordingNotice = recording.notice
        return settings
    }

    /// Whose Asterisk resources this instance may reconcile: its `URA_INSTANCE`, else its
    /// application (unique per instance, since each claims calls for its own app, and stable
    /// across restarts, unlike a pod's host name), else, for the default app `ura`, the plain ids
    /// one ura has always used.
    var resourceNamespace: ResourceNamespace {
        ResourceNamespace(instance: ari.instance ?? (ari.app == "ura" ? nil : ari.app))
    }

    /// How every call's conversation behaves; each call sets its own language.
    var conversationSettings: ConversationSettings {
        var settings = ConversationSettings()
        let action: ProviderFailurePolicy.Action = switch providerFailure.action {
        case .apologize: .apologize
        case .transfer(let destination): .transfer(destination: destination.description)
        case .hangUp: .hangUp
        }
        settings.onProviderFailure = ProviderFailurePolicy(action: action, threshold: providerFailure.threshold)
        settings.logTranscripts = logTranscripts
        settings.turn.endpointSilence = .milliseconds(turnTaking.endpointSilenceMilliseconds)
        settings.turn.smartEndpoint = SmartEndpoint(
            enabled: turnTaking.smartEndpointing, shortest: .milliseconds(turnTaking.endpointSilenceMinimumMilliseconds),
            longest: .milliseconds(turnTaking.endpointSilenceMaximumMilliseconds))
        settings.turn.maximumUtterance = .seconds(turnTaking.maximumUtteranceSeconds)
        settings.turn.noInputTimeout = .milliseconds(turnTaking.noInputTimeoutMilliseconds)
        settings.turn.maximumReprompts = turnTaking.noInputReprompts
        settings.turn.maximumCallDuration = .seconds(turnTaking.maximumCallSeconds)
        settings.turn.bargeIn = turnTaking.bargeIn
        settings.turn.bargeInMinimumSpeech = .milliseconds(turnTaking.bargeInMinimumSpeechMilliseconds)
        settings.echoCancellation = turnTaking.echoCancellation
        if let words = turnTaking.backchannels { settings.turn.backchannels = Set(words) }
        return settings
    }

    /// The heartbeat and the watch over other instances on the same Asterisk; nil when disabled.
    var peerWatchSettings: PeerWatch.Settings? {
        ari.peerGraceSeconds == 0 ? nil : PeerWatch.Settings(grace: .seconds(ari.peerGraceSeconds))
    }

    var shutdownSettings: CallService.Shutdown {
        CallService.Shutdown(drain: .seconds(shutdown.drainSeconds), remainingCalls: shutdown.remainingCalls)
    }
}

extension Configuration {
    /// The AI provider chains with the offline engines as their `offline` entry.
    func makeProviders(transfers: TransferAllowList?, tools: ToolShelf?) async throws -> ProviderFactory {
        let offline = try await OfflineEngines.load(sampleRate: media.format == .g722 ? 16000 : 8000)
        return try ProviderFactory(settings: ai, offline: offline, transferAllowList: transfers, tools: tools)
    }

    /// Loads `TOOLS_FILE` now, so a bad tool stops ura at start, not at a call; nil without one.
    /// `${NAME}` secrets in it come from the variables of `envFile` and the process.
    /// - Throws: ``StartupError`` naming the file, line and problem.
    func loadTools(envFile: String) throws(StartupError) -> ToolCatalog? {
        guard let toolsFile else { return nil }
        do {
            let environment = try ConfigurationOptions.environment(envFile: envFile)
            return try ToolCatalog.load(path: toolsFile, environment: environment)
        } catch {
            throw StartupError(line: "\(error)")
        }
    }

    /// Flows' `tool` steps naming tools not offered, one line each (`flow clinic-en: book_appointment`).
    func flowToolProblems(flows: FlowLibrary, offered: Set<String>) -> [String] {
        flows.names.sorted().flatMap { name in
            (flows.flow(named: name)?.toolNames ?? []).sorted().filter { !offered.contains($0) }.map { "flow \(name): \($0)" }
        }
    }

    /// ``loadTools(envFile:)``, or the problem on standard error and exit status 2.
    func loadToolsOrExit(envFile: String) throws -> ToolCatalog? {
        do {
            return try loadTools(envFile: envFile)
        } catch {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// Loads every flow of `FLOWS_DIR` now, so a bad flow stops ura at start, not at a call.
    /// - Throws: ``StartupError`` naming the first bad file and line, or the default bot's missing flow.
    func loadFlows() throws(StartupError) -> FlowLibrary {
        let library: FlowLibrary
        do {
            library = try FlowLibrary.load(directory: flowsDirectory)
        } catch {
            throw StartupError(flowError: error)
        }
        if case .flow(let name) = bot, library.flow(named: name) == nil {
            throw StartupError(line: "URA_BOT names flow \"\(name)\", which is not in FLOWS_DIR (\(flowsDirectory))")
        }
        return library
    }

    /// ``loadFlows()``, or the one-line problem on standard error and exit status 2, as for any
    /// configuration error (`ura serve`, `ura check`).
    func loadFlowsOrExit() throws -> FlowLibrary {
        do {
            return try loadFlows()
        } catch {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// Where bots may transfer callers: what configuration and flows name, and `TRANSFER_ALLOW`.
    func makeTransferAllowList(flows: FlowLibrary) -> TransferAllowList {
        TransferAllowList(patterns: transferAllow, named: namedTransferDestinations.union(flows.transferDestinations))
    }
}

/// A problem that stops `ura serve` before it takes calls, told as one line (exit status 2).
struct StartupError: Error, CustomStringConvertible {
    let line: String

    init(line: String) { self.line = line }

    /// The first problem of a bad flow file as `file:line:column: problem`, and how many more.
    init(flowError error: FlowLoadError) {
        let first = error.problems.first.map { "\(error.file):\($0)" } ?? error.file
        line = error.problems.count > 1 ? "\(first) (and \(error.problems.count - 1) more problems in that file)" : first
    }

    var description: String { line }
}
