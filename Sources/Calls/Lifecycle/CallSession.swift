import Audio
import ARI
import Foundation
import Logging
import Media
import Recording
import Settings
import Synchronization
import Telemetry

/// One call, from the caller's StasisStart to the deletion of everything ura made for it.
///
/// ``run()`` sets the call up — answer, mixing bridge, externalMedia channel to the call's own
/// UDP port, both channels into the bridge — lets the bot talk until the call ends, and then
/// always cleans up: the externalMedia channel and the bridge are deleted (Asterisk deletes
/// neither) and the port is freed. Events reach the session through ``deliver(_:)`` in the
/// order the socket received them; since ura picks the externalMedia channel's id itself, its
/// StasisStart is recognised even when it arrives before the POST that created it returns.
///
/// Threading: ``deliver(_:)`` and ``request(_:)`` may be called from anywhere; ``run()`` runs in
/// the task that owns the call and is its only consumer.
public final class CallSession: Sendable {
    enum Input: Sendable {
        case event(ARIEvent)
        case request(Request)
        case timeout(UInt64)
    }

    enum Request: Sendable, Equatable {
        case say(String, interrupt: Bool)
        case botHangup
        case operatorHangup
        case transfer(TransferDestination, source: TransferSource)
        /// A bot's transfer, still text: brains produce strings, checked here.
        case botTransfer(String, source: TransferSource)
        case shutdown(RemainingCalls)
        case callerGone
    }

    /// Settings every call shares.
    public struct Settings: Sendable {
        public var application: String
        public var format: AudioFormat
        /// `external_host` address Asterisk sends RTP to.
        public var advertiseAddress: String
        public var jitterWindow: Duration
        public var defaultBot: BotChoice
        /// How long Asterisk gets to bring the externalMedia channel into Stasis.
        public var mediaSetupTimeout: Duration
        /// Where bots (LLM, flows) may send callers; nil lets them send callers anywhere valid.
        /// Operator transfers are not subject to it (see ``TransferSource/operatorAPI``).
        public var transferAllowList: TransferAllowList?
        /// Calls taken at once; a caller beyond it goes back to the dialplan. nil: no limit.
        public var maximumCalls: Int?
        /// Whether DTMF digits may be written to logs (`LOG_TRANSCRIPTS`).
        public var logTranscripts: Bool
        public var metrics: URAMetrics
        /// The ids this instance gives its resources (`URA_INSTANCE`); the reconcile after a
        /// connect touches only these, so instances sharing an Asterisk leave each other alone.
        public var namespace: ResourceNamespace = .single
        /// What of each call is recorded (`RECORDING`); nil: nothing.
        public var recordingMode: CallRecorder.Mode?
        /// Where recordings go (`RECORDINGS_DIR`).
        public var recordingsDirectory = "recordings"
        /// What Asterisk plays the caller before a recording starts (`RECORDING_NOTICE`, e.g.
        /// `sound:custom/call-recorded`, in the channel's language); nil: no notice.
        public var recordingNotice: [String]?

        public init(
            application: String, format: AudioFormat, advertiseAddress: String, jitterWindow: Duration,
            defaultBot: BotChoice, mediaSetupTimeout: Duration = .seconds(5), transferAllowList: TransferAllowList? = nil,
            maximumCalls: Int? = nil, logTranscripts: Bool = false, metrics: URAMetrics = URAMetrics()
        ) {
            self.application = application
            self.format = format
            self.advertiseAddress = advertiseAddress
            self.jitterWindow = jitterWindow
            self.defaultBot = defaultBot
            self.mediaSetupTimeout = mediaSetupTimeout
            self.transferAllowList = transferAllowList
            self.maximumCalls = maximumCalls
            self.logTranscripts = logTranscripts
            self.metrics = metrics
        }
    }

    public let names: ResourceNames
    public let caller: Channel
    public let startedAt = Date()
    private let arguments: [String]
    private let ari: ARIClient
    private let engine: MediaEngine
    private let settings: Settings
    private let bots: any BotFactory
    private let logger: Logger
    private let inbox: AsyncStream<Input>
    private let inboxContinuation: AsyncStream<Input>.Continuation
    private let statusBox = Mutex(Status())

    /// What the operator API and reconciliation can see of a running call.
    public struct Status: Sendable {
        public var phase = "setting_up"
        public var media: CallMedia?
        public var end: CallEnd?
        /// The call's recording, once it is closed.
        public var recording: CallRecorder.Summary?
    }

    init(
        caller: Channel, arguments: [String], names: ResourceNames = ResourceNames(), ari: ARIClient, engine: MediaEngine,
        settings: Settings, bots: any BotFactory, logger: Logger
    ) {
        self.caller = caller
        self.arguments = arguments
        self.names = names
        self.ari = ari
        self.engine = engine
        self.settings = settings
        self.bots = bots
        var logger = logger
        logger[metadataKey: "call_id"] = .string(names.callID)
        logger[metadataKey: "channel_id"] = .string(caller.id.rawValue)
        self.logger = logger
        (inbox, inboxContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// The channels and bridge this call owns in Asterisk.
    public var ownedChannels: Set<ChannelID> { [caller.id, names.mediaChannel] }

    public var status: Status { statusBox.withLock { $0 } }

    /// The bot answering this call (`bot=` in its Stasis arguments, else the default).
    public var botDescription: String { (StasisArguments(arguments).bot ?? settings.defaultBot).description }

    /// Hands the session an event about one of its channels.
    public func deliver(_ event: ARIEvent) { inboxContinuation.yield(.event(event)) }

    func request(_ request: Request) { inboxContinuation.yield(.request(request)) }

    /// Hangs the caller up (operator).
    public func hangUp() { request(.operatorHangup) }

    /// Sends the caller to an extension or an endpoint at an operator's request (trusted: not
    /// subject to the transfer allow-list).
    public func transfer(to destination: TransferDestination) { request(.transfer(destination, source: .operatorAPI)) }

    /// Makes a conversational bot say `text`, now or after its current words.
    public func say(_ text: String, interrupt: Bool) { request(.say(text, interrupt: interrupt)) }

    /// Runs the call to its end and cleans up. Returns why it ended.
    public func run() async -> CallEnd {
        var setup = Setup()
        var inputs = inbox.makeAsyncIterator()
        let end: CallEnd
        do {
            try await start(&setup, inputs: &inputs)
            setPhase("active")
            logger.info("call active", metadata: ["media_port": "\(setup.media?.socket.port ?? 0)", "format": "\(settings.format.name)"])
            end = try await waitForEnd(&inputs, setup: &setup)
        } catch let reason as CallEnd {
            end = await explain(reason, &inputs, &setup)
        } catch {
            end = await explain(.failed(String(describing: error)), &inputs, &setup)
        }
        statusBox.withLock { $0.end = end }
        setPhase("ending")
        // Cleanup must finish even when the owning task is cancelled (hard stop): run it in a
        // task that does not inherit the cancellation, and wait for it.
        let cleanup = Task { [setup] in await self.cleanUp(setup, end: end) }
        await cleanup.value
        inboxContinuation.finish()
        setPhase("ended")
        return end
    }

    // MARK: - Setup

    private struct Setup: Sendable {
        var media: CallMedia?
        var bot: (any CallAudioHandler)?
        var botTask: Task<Void, Never>?
        var recorder: CallRecorder?
        var recorderTask: Task<Void, Never>?
        var bridgeCreated = false
        var mediaChannelCreated = false
        var mediaChannelGone = false
        var callerGone = false
    }

    private func start(_ setup: inout Setup, inputs: inout AsyncStream<Input>.Iterator) async throws {
        let parsed = StasisArguments(arguments)
        if !parsed.ignored.isEmpty { logger.warning("ignored Stasis arguments", metadata: ["arguments": "\(parsed.ignored)"]) }
        let context = CallContext(
            callID: names.callID, callerNumber: caller.caller.number, language: caller.language,
            bot: parsed.bot ?? settings.defaultBot, variables: parsed.variables)
        let bot: any CallAudioHandler
        do {
            bot = try bots.makeBot(for: context, control: CallControlHandle(session: self))
        } catch {
            settings.metrics.callRejected(reason: "bot_unavailable")
            throw CallEnd.rejected("bot \(context.bot) cannot start: \(error)")
        }

        // The port first: a caller ura has no port for goes back to the dialplan unanswered.
        do {
            setup.media = try CallMedia.open(engine: engine, format: settings.format, jitterWindow: settings.jitterWindow)
        } catch {
            settings.metrics.callRejected(reason: "no_media_port")
            throw CallEnd.rejected("no media port: \(error)")
        }
        statusBox.withLock { $0.media = setup.media }
        if caller.state != .up { try await call("answer") { try await ari.answer(caller.id) } }
        let media = setup.media!
        var recordingMode = settings.recordingMode
        if recordingMode != nil, let notice = settings.recordingNotice,
           !(try await noticePlayed(
               notice, language: parsed.variables["lang"].map { $0.replacingOccurrences(of: "-", with: "_") }, inputs: &inputs, setup: &setup)) {
            recordingMode = nil
        }

        // Named after the application: survivors find a gone instance's bridges by it (PeerWatch).
        try await call("create bridge") { _ = try await ari.createBridge(features: [.mixing], id: names.bridge, name: settings.application) }
        setup.bridgeCreated = true

        let request = ExternalMediaRequest(
            app: settings.application, format: settings.format.name,
            externalHost: Self.hostPort(settings.advertiseAddress, media.socket.port),
            encapsulation: .rtp, transport: .udp, channelID: names.mediaChannel)
        let channel = try await call("create externalMedia") { try await ari.externalMedia(request) }
        setup.mediaChannelCreated = true
        let remote = try await asteriskMediaAddress(channel)

        // Asterisk accepts the channel into the bridge only once it is in Stasis.
        try await waitFor(&inputs, setup: &setup, timeout: settings.mediaSetupTimeout, what: "externalMedia StasisStart") { event in
            if case .stasisStart(let start) = event, start.channel.id == names.mediaChannel { true } else { false }
        }
        try await call("bridge channels") { try await ari.addChannels([caller.id, names.mediaChannel], to: names.bridge) }
        try media.connect(remote: remote, handler: bot)
        setup.bot = bot
        if let mode = recordingMode { startRecording(mode, media: media, setup: &setup) }
        if let conversational = bot as? any CallBot {
            conversational.attach(output: media.output, control: CallControlHandle(session: self))
            // Owned by this session: cancelled in cleanup when the call ends.
            setup.botTask = Task { await conversational.run() }
        }
    }

    /// Plays the recording notice to the caller, before anything is recorded, and waits for its
    /// end. A notice that cannot be played (a sound Asterisk lacks) leaves the call unrecorded:
    /// recording callers who were not told is what the notice is there to prevent.
    private func noticePlayed(
        _ notice: [String], language: String?, inputs: inout AsyncStream<Input>.Iterator, setup: inout Setup
    ) async throws -> Bool {
        let id = PlaybackID("\(names.callID)-notice")
        do {
            _ = try await ari.play(notice, on: caller.id, language: language, playbackID: id)
        } catch {
            logger.warning("recording notice not played; the call is not recorded", metadata: ["error": "\(error)"])
            return false
        }
        var state: Playback.State?
        do {
            try await waitFor(&inputs, setup: &setup, timeout: .seconds(60), what: "the recording notice") { event in
                guard case .playbackFinished(let finished) = event, finished.playback.id == id else { return false }
                state = finished.playback.state
                return true
            }
        } catch CallEnd.failed(let reason) where reason.hasPrefix("timed out") {
            logger.warning("recording notice did not finish; the call is not recorded", metadata: ["reason": "\(reason)"])
            return false
        }
        guard state == .done else {
            logger.warning("recording notice failed to play; the call is not recorded", metadata: ["media": "\(notice)"])
            return false
        }
        return true
    }

    /// A recording that cannot start (a directory ura may not write) leaves the call unrecorded, never refused.
    private func startRecording(_ mode: CallRecorder.Mode, media: CallMedia, setup: inout Setup) {
        do {
            let recorder = try CallRecorder(
                directory: settings.recordingsDirectory, callID: names.callID, mode: mode, format: settings.format, logger: logger)
            media.record(into: recorder.tap)
            setup.recorder = recorder
            // Owned by this session: cancelled in cleanup, then the file is closed.
            setup.recorderTask = Task { await recorder.run() }
        } catch {
            logger.warning("call not recorded: cannot create its file", metadata: [
                "directory": "\(settings.recordingsDirectory)", "error": "\(error)",
            ])
        }
    }

    /// Where Asterisk sends from and listens: the externalMedia response's channel variables.
    private func asteriskMediaAddress(_ channel: Channel) async throws -> SocketAddress {
        var address = channel.channelVars?["UNICASTRTP_LOCAL_ADDRESS"]
        var port = channel.channelVars?["UNICASTRTP_LOCAL_PORT"]
        if address == nil || port == nil {
            address = try await call("read UNICASTRTP_LOCAL_ADDRESS") { try await ari.variable("UNICASTRTP_LOCAL_ADDRESS", of: names.mediaChannel) }
            port = try await call("read UNICASTRTP_LOCAL_PORT") { try await ari.variable("UNICASTRTP_LOCAL_PORT", of: names.mediaChannel) }
        }
        guard let address, let portText = port, let number = UInt16(portText) else {
            throw CallEnd.failed("externalMedia gave no UNICASTRTP_LOCAL_ADDRESS/PORT")
        }
        do {
            return try SocketAddress(ip: address, port: number)
        } catch {
            throw CallEnd.failed("externalMedia gave an unusable address \(address):\(number)")
        }
    }

    /// A request that failed during setup is most often a caller who hung up meanwhile (the
    /// channel vanished under the request); their hangup event is then on its way. Waits briefly
    /// for it so the call is recorded for what it was.
    private func explain(_ reason: CallEnd, _ inputs: inout AsyncStream<Input>.Iterator, _ setup: inout Setup) async -> CallEnd {
        guard case .failed = reason, !setup.callerGone else { return reason }
        do {
            try await waitFor(&inputs, setup: &setup, timeout: .seconds(1), what: "the caller's fate") { _ in false }
        } catch let settled as CallEnd where settled == .callerHangup {
            return .callerHangup
        } catch {}
        return reason
    }

    // MARK: - Running

    private func waitForEnd(_ inputs: inout AsyncStream<Input>.Iterator, setup: inout Setup) async throws -> CallEnd {
        try await waitFor(&inputs, setup: &setup, timeout: nil, what: "the end of the call") { _ in false }
        return .failed("event stream ended")
    }

    /// Consumes inputs until `accept` takes an event. Anything that ends the call throws its ``CallEnd``.
    private func waitFor(
        _ inputs: inout AsyncStream<Input>.Iterator, setup: inout Setup, timeout: Duration?, what: String,
        accept: (ARIEvent) -> Bool
    ) async throws {
        let token = UInt64.random(in: 1 ... .max)
        let timer = timeout.map { timeout in
            Task { [inboxContinuation] in
                try? await Task.sleep(for: timeout)
                inboxContinuation.yield(.timeout(token))
            }
        }
        defer { timer?.cancel() }
        while let input = await inputs.next() {
            switch input {
            case .timeout(let fired):
                if fired == token { throw CallEnd.failed("timed out waiting for \(what)") }
            case .request(let request):
                try await handle(request, setup: &setup)
            case .event(let event):
                if accept(event) { return }
                if let end = ending(for: event, setup: &setup) { throw end }
                if case .channelDtmfReceived(let dtmf) = event, dtmf.channel.id == caller.id {
                    logger.debug("dtmf", metadata: ["digit": "\(settings.logTranscripts ? dtmf.digit : "<redacted>")"])
                    if let bot = setup.bot as? any CallBot { for digit in dtmf.digit { bot.dtmf(digit) } }
                }
            }
        }
        throw CallEnd.failed("event stream ended")
    }

    private func ending(for event: ARIEvent, setup: inout Setup) -> CallEnd? {
        switch event {
        case .channelHangupRequest(let request) where request.channel.id == caller.id:
            setup.callerGone = true
            return .callerHangup
        case .stasisEnd(let end) where end.channel.id == caller.id:
            setup.callerGone = true
            return .callerHangup
        case .channelDestroyed(let destroyed) where destroyed.channel.id == caller.id:
            setup.callerGone = true
            return .callerHangup
        case .stasisEnd(let end) where end.channel.id == names.mediaChannel:
            setup.mediaChannelGone = true
            return .mediaLost
        case .channelDestroyed(let destroyed) where destroyed.channel.id == names.mediaChannel:
            setup.mediaChannelGone = true
            return .mediaLost
        default:
            return nil
        }
    }

    private func handle(_ request: Request, setup: inout Setup) async throws {
        switch request {
        case .say(let text, let interrupt):
            if let bot = setup.bot as? any CallBot { bot.say(text, interrupt: interrupt) }
        case .botHangup: throw CallEnd.botHangup
        case .operatorHangup: throw CallEnd.operatorHangup
        case .callerGone:
            setup.callerGone = true
            throw CallEnd.callerGone
        case .shutdown(let policy):
            throw CallEnd.shutdown(policy)
        case .botTransfer(let text, let source):
            let destination: TransferDestination
            do {
                destination = try TransferDestination(parsing: text)
            } catch {
                throw refuse(text, source: source, reason: "invalid", why: "\(error)")
            }
            try await handle(.transfer(destination, source: source), setup: &setup)
        case .transfer(let destination, let source):
            if source != .operatorAPI, let allowList = settings.transferAllowList, !allowList.permits(destination) {
                throw refuse(destination.description, source: source, reason: "not_allowed", why: "not on the transfer allow-list (TRANSFER_ALLOW)")
            }
            try await transfer(to: destination)
            throw CallEnd.transferred(destination.description)
        }
    }

    /// A transfer that is not made: logged, counted, and the call handed back to the dialplan
    /// (the bot has already said its handover line and stopped).
    private func refuse(_ destination: String, source: TransferSource, reason: String, why: String) -> CallEnd {
        settings.metrics.transferRefused(source: source.rawValue, reason: reason)
        let shown = String(destination.unicodeScalars.prefix(TransferDestination.maximumLength).map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" })
        logger.warning("transfer refused", metadata: ["destination": "\(shown)", "source": "\(source.rawValue)", "reason": "\(why)"])
        return CallEnd.failed("transfer to \(shown) refused: \(why)")
    }

    /// Endpoints are reached by ARI redirect, dialplan places by ARI continue.
    private func transfer(to destination: TransferDestination) async throws {
        switch destination {
        case .endpoint:
            try await call("redirect") { try await ari.redirect(caller.id, to: destination.description) }
        case .dialplan(let context, let exten, .number(let priority)):
            try await call("continue") { try await ari.continueInDialplan(caller.id, context: context, extension: exten, priority: priority) }
        case .dialplan(let context, let exten, .label(let label)):
            try await call("continue") { try await ari.continueInDialplan(caller.id, context: context, extension: exten, label: label) }
        }
    }

    // MARK: - Cleanup

    private func cleanUp(_ setup: Setup, end: CallEnd) async {
        if let botTask = setup.botTask {
            (setup.bot as? any CallBot)?.callEnding(end)
            botTask.cancel()
            await botTask.value
        }
        await setup.media?.close()
        if let recorder = setup.recorder {
            setup.recorderTask?.cancel()
            await setup.recorderTask?.value
            let summary = recorder.finish()
            if summary.droppedFrames > 0 {
                logger.warning("recording has gaps: writing fell behind", metadata: ["frames_dropped": "\(summary.droppedFrames)"])
            }
            statusBox.withLock { $0.recording = summary }
        }
        if setup.mediaChannelCreated, !setup.mediaChannelGone { await bestEffort("delete externalMedia channel") { try await ari.hangup(names.mediaChannel) } }
        if setup.bridgeCreated { await bestEffort("delete bridge") { try await ari.deleteBridge(names.bridge) } }
        if !setup.callerGone {
            switch end {
            case .callerHangup, .callerGone, .transferred:
                break
            case .botHangup, .operatorHangup, .shutdown(.hangup):
                await bestEffort("hang up caller") { try await ari.hangup(caller.id) }
            case .shutdown(.continueInDialplan), .rejected, .mediaLost, .failed:
                // The dialplan after Stasis() decides: an apology, a queue, a human.
                await bestEffort("continue caller in dialplan") { try await ari.continueInDialplan(caller.id) }
            }
        }
        let level: Logger.Level = switch end {
        case .failed, .mediaLost, .rejected: .warning
        default: .info
        }
        logger.log(level: level, "call ended", metadata: [
            "outcome": "\(end.outcome)", "detail": "\(end)",
            "duration_ms": "\(Int(Date().timeIntervalSince(startedAt) * 1000))",
        ])
    }

    private func bestEffort(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch let error as ARIError where error.isNotFound {
            // Already gone: exactly what cleanup wanted.
        } catch {
            logger.warning("cleanup step failed", metadata: ["step": "\(what)", "error": "\(error)"])
        }
    }

    private func call<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ARIError {
            if error.isNotFound, what == "answer" { throw CallEnd.callerHangup }
            throw CallEnd.failed("\(what): \(error)")
        }
    }

    /// Plays DTMF tones to the caller (a brain's action).
    func sendDTMF(_ digits: String) async {
        do {
            try await ari.sendDTMF(caller.id, digits)
        } catch {
            logger.warning("sending DTMF failed", metadata: ["error": "\(error)"])
        }
    }

    private func setPhase(_ phase: String) { statusBox.withLock { $0.phase = phase } }

    static func hostPort(_ host: String, _ port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
