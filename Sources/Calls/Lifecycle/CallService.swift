import ARI
import Foundation
import Logging
import Media
import ServiceLifecycle
import Settings
import Synchronization
import Telemetry

/// Takes the calls Asterisk sends to the Stasis application, one ``CallSession`` each.
///
/// A swift-service-lifecycle `Service`: ``run()`` keeps the ARI events socket connected, routes
/// each event to the session owning its channel, starts a session for each new caller, and after
/// every (re)connect reconciles with ARI's listing — sessions whose caller vanished are closed,
/// leftovers with ura's id prefix (from a lost socket or a crashed run) are deleted, and callers
/// left in the application without a session are taken up again.
///
/// Graceful shutdown: new calls are sent back to the dialplan at once, active calls may finish
/// for the drain time, then the rest are ended by the configured policy; ``run()`` returns when
/// every session has cleaned up. `ApplicationReplaced` (another process took the application)
/// ends ``run()`` with ``ServiceError/applicationReplaced`` instead of fighting over it.
public final class CallService: Service, Sendable {
    public enum ServiceError: Error, CustomStringConvertible {
        case applicationReplaced(String)

        public var description: String {
            switch self {
            case .applicationReplaced(let app): "another process registered Stasis application \(app); stopping"
            }
        }
    }

    /// Drain behaviour on graceful shutdown.
    public struct Shutdown: Sendable {
        public var drain: Duration
        public var remainingCalls: RemainingCalls

        public init(drain: Duration, remainingCalls: RemainingCalls) {
            self.drain = drain
            self.remainingCalls = remainingCalls
        }
    }

    private enum Job: Sendable {
        case session(CallSession)
        case reconcile
        case reject(ChannelID, reason: RejectReason)
        case removeLeftover(ChannelID)
        case claim(ChannelID)
    }

    private let ari: ARIClient
    private let connection: ARIEventConnection
    private let engine: MediaEngine
    private let settings: CallSession.Settings
    private let shutdown: Shutdown
    private let bots: any BotFactory
    private let logger: Logger
    private let registry = CallRegistry()
    private let jobs: AsyncStream<Job>
    private let jobsContinuation: AsyncStream<Job>.Continuation
    private let connected = Atomic(false)
    private let stopping = Atomic(false)
    private let counterBox = Mutex(Counters())
    private let observer: (any CallObserver)?
    private let peerSettings: PeerWatch.Settings?
    private let admission: CallAdmission
    /// Call ids handed out by ``expectOriginatedCall(id:)`` whose call has not entered yet, with when.
    private let expectedCallIDs = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Why a caller went back to the dialplan untaken (`ura_calls_rejected_total`'s label).
    enum RejectReason: String {
        case maximumCalls = "max_calls"
        case shuttingDown = "shutting_down"
    }

    /// Counts since start, for logs and the operator API.
    public struct Counters: Sendable, Equatable {
        public var callsStarted = 0
        public var callsRejected = 0
        public var reconnects = 0
        public var leftoversRemoved = 0
        public var undecodableEvents = 0
        public var outcomes: [String: Int] = [:]
        /// `StasisBroadcast()` calls this instance claimed and got.
        public var claimsWon = 0
        /// Claims another instance won first (409): normal when several compete.
        public var claimsLost = 0
        /// Broadcast calls not claimed because this instance is draining or full.
        public var claimsDeclined = 0
        /// Callers of gone instances this instance continued in the dialplan (``PeerWatch``).
        public var peerCallersContinued = 0
    }

    /// A new call id in this instance's namespace (an originate announces it beforehand).
    public func newCallID() -> String { settings.namespace.newCallID() }

    public init(
        ari: ARIClient, connection: ARIEventConnection, engine: MediaEngine, settings: CallSession.Settings,
        shutdown: Shutdown, bots: any BotFactory, observer: (any CallObserver)? = nil, peers: PeerWatch.Settings? = nil,
        admission: CallAdmission? = nil, logger: Logger
    ) {
        self.admission = admission ?? CallAdmission(limit: settings.maximumCalls)
        self.observer = observer
        peerSettings = peers
        self.ari = ari
        self.connection = connection
        self.engine = engine
        self.settings = settings
        self.shutdown = shutdown
        self.bots = bots
        self.logger = logger
        (jobs, jobsContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// The Asterisk this service drives.
    public var asterisk: ARIClient { ari }

    /// Whether the events socket is up (readiness).
    public var isConnected: Bool { connected.load(ordering: .relaxed) }

    /// Calls in progress.
    public var activeCalls: [CallSession] { registry.all }

    public var counters: Counters { counterBox.withLock { $0 } }

    /// False once graceful shutdown began: calls drain, no new one is taken or claimed.
    public var isAccepting: Bool { registry.accepting }

    /// The call with this id, while it runs.
    public func session(callID: String) -> CallSession? { registry.all.first { $0.names.callID == callID } }

    /// The heartbeat and watch over other instances, when configured.
    private var peerWatch: PeerWatch? {
        peerSettings.map { peers in
            PeerWatch(ari: ari, application: settings.application, namespace: settings.namespace, settings: peers, logger: logger) {
                [self] cleanup in await peersCleanedUp(cleanup)
            }
        }
    }

    private func peersCleanedUp(_ cleanup: PeerWatch.Cleanup) async {
        counterBox.withLock { $0.peerCallersContinued += cleanup.callersContinued.count }
        settings.metrics.peerCallersContinued(cleanup.callersContinued.count)
        await observer?.peerGone(application: cleanup.application, callers: cleanup.callersContinued)
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            connection.start()
            group.addTask { try await self.consumeEvents() }
            group.addTask { await self.drainOnShutdown() }
            if let peerWatch { group.addTask { await peerWatch.run() } }
            for await job in jobs {
                group.addTask { await self.perform(job) }
            }
            // The events are over (drained, or the application was replaced): what still runs
            // is the peer watch, which only ends when told.
            group.cancelAll()
        }
    }

    // MARK: - Events

    private func consumeEvents() async throws {
        var lastProblem = ""
        defer { jobsContinuation.finish() }
        for await element in connection.elements {
            switch element {
            case .connected:
                connected.store(true, ordering: .relaxed)
                if counterBox.withLock({ $0.reconnects }) > 0 { URAMetrics().ariReconnected() }
                logger.info("ARI events connected", metadata: ["app": "\(settings.application)"])
                jobsContinuation.yield(.reconcile)
            case .disconnected(let reason):
                if connected.exchange(false, ordering: .relaxed), !stopping.load(ordering: .relaxed) {
                    counterBox.withLock { $0.reconnects += 1 }
                    logger.warning("ARI events socket lost; calls keep their media", metadata: ["reason": "\(reason)"])
                }
                lastProblem = reason
            case .reconnecting(let attempt, let delay):
                logger.warning("cannot reach Asterisk ARI; retrying", metadata: [
                    "attempt": "\(attempt)", "backoff_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                    "reason": "\(lastProblem)",
                ])
            case .undecodable(let error, let bytes):
                counterBox.withLock { $0.undecodableEvents += 1 }
                logger.warning("dropped an undecodable ARI event", metadata: ["error": "\(error)", "bytes": "\(bytes)"])
            case .event(let envelope):
                try route(envelope)
            }
        }
    }

    private func route(_ envelope: ARIEnvelope) throws {
        if let application = envelope.application, application != settings.application { return }
        switch envelope.event {
        case .stasisStart(let start):
            if let owner = registry.owner(of: start.channel.id) {
                owner.deliver(envelope.event)
            } else if settings.namespace.isOurs(start.channel.id.rawValue) {
                jobsContinuation.yield(.removeLeftover(start.channel.id))
            } else if !ResourceNames.isURA(start.channel.id.rawValue) {
                admit(start.channel, arguments: start.args)
            }
        case .callBroadcast(let broadcast):
            // Claimed in a job: the events loop must keep reading while the claim is out.
            if registry.accepting, admission.hasRoom {
                jobsContinuation.yield(.claim(broadcast.channel.id))
            } else {
                counterBox.withLock { $0.claimsDeclined += 1 }
                logger.info("not claiming a broadcast call", metadata: [
                    "channel_id": "\(broadcast.channel.id)", "reason": "\(registry.accepting ? "full" : "draining")",
                ])
            }
        case .applicationReplaced:
            logger.error("Stasis application taken over by another connection; stopping", metadata: ["app": "\(settings.application)"])
            throw ServiceError.applicationReplaced(settings.application)
        case .unknown(let type, _):
            logger.debug("unknown ARI event", metadata: ["type": "\(type)"])
        default:
            for session in registry.sessions(for: envelope.event.channelIDs) { session.deliver(envelope.event) }
        }
    }

    /// Announces the id an originated call will carry in its `ura_call_id=` Stasis argument.
    /// Only ids announced here are taken from the arguments, once each: anyone else's
    /// `ura_call_id` (a dialplan, a forged originate) gets a fresh id instead, so it can never
    /// take over another call's id, resources or record.
    public func expectOriginatedCall(id: String) {
        let now = ContinuousClock.now
        expectedCallIDs.withLock { expected in
            // An originated call that never entered (no answer) leaves its id behind; an hour is
            // far beyond any ring time.
            expected = expected.filter { now - $0.value < .seconds(3600) }
            expected[id] = now
        }
    }

    /// Forgets an announced id (its originate failed).
    public func forgetOriginatedCall(id: String) { _ = expectedCallIDs.withLock { $0.removeValue(forKey: id) } }

    /// - Parameter resumedCallID: the id an earlier run gave this call, when it is taken up again;
    ///   its Asterisk resources get fresh ids, since that run's leftovers carry the old ones.
    private func admit(_ caller: Channel, arguments: [String], resumedCallID: String? = nil) {
        guard registry.accepting else {
            jobsContinuation.yield(.reject(caller.id, reason: .shuttingDown))
            return
        }
        let key = "ura_call_id="
        let claimed = arguments.first { $0.lowercased().hasPrefix(key) }.map { String($0.dropFirst(key.count)) }
        var names = ResourceNames(callID: settings.namespace.newCallID())
        if let resumedCallID {
            names = ResourceNames(callID: resumedCallID, resources: settings.namespace.newCallID())
        } else if let claimed {
            if expectedCallIDs.withLock({ $0.removeValue(forKey: claimed) }) != nil, session(callID: claimed) == nil {
                names = ResourceNames(callID: claimed)
            } else {
                logger.warning("ignored a ura_call_id ura did not hand out", metadata: [
                    "channel_id": "\(caller.id)", "call_id": "\(names.callID)",
                ])
            }
        }
        let session = CallSession(
            caller: caller, arguments: arguments.filter { !$0.lowercased().hasPrefix(key) }, names: names, ari: ari, engine: engine,
            settings: settings, bots: bots, logger: logger)
        guard admission.take() else {
            jobsContinuation.yield(.reject(caller.id, reason: .maximumCalls))
            return
        }
        if registry.register(session) == .duplicate { admission.release() } else { jobsContinuation.yield(.session(session)) }
    }

    private func perform(_ job: Job) async {
        switch job {
        case .session(let session):
            counterBox.withLock { $0.callsStarted += 1 }
            logger.info("call started", metadata: [
                "call_id": "\(session.names.callID)", "channel_id": "\(session.caller.id)", "caller": "\(session.caller.caller.number)",
            ])
            observer?.callStarted(session)
            let end = await session.run()
            registry.remove(session)
            admission.release()
            counterBox.withLock { $0.outcomes[end.outcome, default: 0] += 1 }
            await observer?.callEnded(session, end: end)
        case .reconcile:
            await reconcile()
        case .reject(let channel, let reason):
            counterBox.withLock { $0.callsRejected += 1 }
            settings.metrics.callRejected(reason: reason.rawValue)
            logger.warning("call sent back to the dialplan", metadata: ["channel_id": "\(channel)", "reason": "\(reason.rawValue)"])
            do { try await ari.continueInDialplan(channel) } catch { logger.warning("continue failed", metadata: ["error": "\(error)"]) }
        case .claim(let channel):
            do {
                switch try await ari.claim(channel, for: settings.application) {
                case .claimed: counterBox.withLock { $0.claimsWon += 1 }
                case .claimedByAnother: counterBox.withLock { $0.claimsLost += 1 }
                case .notOffered: logger.info("broadcast call no longer offered", metadata: ["channel_id": "\(channel)"])
                }
            } catch {
                logger.warning("claim failed", metadata: ["channel_id": "\(channel)", "error": "\(error)"])
            }
        case .removeLeftover(let channel):
            counterBox.withLock { $0.leftoversRemoved += 1 }
            logger.info("hanging up a leftover channel of ura's", metadata: ["channel_id": "\(channel)"])
            do { try await ari.hangup(channel) } catch let error as ARIError where error.isNotFound {} catch {
                logger.warning("leftover hangup failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Reconcile

    /// Brings ura's view and Asterisk's back in line after a (re)connect: events raised while the socket was down are never replayed.
    func reconcile() async {
        do {
            // Only calls that existed before the listing can be missing from it: a caller who
            // arrives while reconcile runs is not gone.
            let existing = registry.all
            let channels = try await ari.listChannels()
            let bridges = try await ari.listBridges()
            let live = Set(channels.map(\.id))
            for session in existing where !live.contains(session.caller.id) {
                session.request(.callerGone)
            }
            // Taken after the listing: a call registered by now owns what it made before it.
            let owned = registry.ownedResources
            let namespace = settings.namespace
            for channel in channels where namespace.isOurs(channel.id.rawValue) && !owned.channels.contains(channel.id) {
                jobsContinuation.yield(.removeLeftover(channel.id))
            }
            for bridge in bridges where namespace.isOurs(bridge.id.rawValue) && !owned.bridges.contains(bridge.id) {
                counterBox.withLock { $0.leftoversRemoved += 1 }
                logger.info("deleting a leftover bridge of ura's", metadata: ["bridge_id": "\(bridge.id)"])
                do { try await ari.deleteBridge(bridge.id) } catch let error as ARIError where error.isNotFound {}
            }
            // Callers claimed from a StasisBroadcast() show only as members of the application.
            let members = Set(try await ari.application(settings.application).channelIDs)
            for channel in channels where isWaitingInOurApplication(channel, members: members) && registry.owner(of: channel.id) == nil {
                let resumed = await observer?.callID(takingUp: channel.id)
                logger.info("taking up a caller left in the application", metadata: [
                    "channel_id": "\(channel.id)", "call_id": "\(resumed ?? "new")",
                ])
                admit(channel, arguments: Self.stasisArguments(channel.dialplan.appData), resumedCallID: resumed)
            }
            await observer?.reconciled()
        } catch {
            logger.warning("reconcile failed; next reconnect retries", metadata: ["error": "\(error)"])
        }
    }

    private func isWaitingInOurApplication(_ channel: Channel, members: Set<ChannelID>) -> Bool {
        guard !ResourceNames.isURA(channel.id.rawValue), channel.state != .down else { return false }
        let inStasisHere = channel.dialplan.appName.lowercased() == "stasis"
            && Self.stasisApplication(channel.dialplan.appData) == settings.application
        let claimedHere = channel.dialplan.appName.lowercased() == "stasisbroadcast" && members.contains(channel.id)
        return inStasisHere || claimedHere
    }

    /// `Stasis(app,a,b)` data is `app,a,b` (Asterisk also accepts `|`).
    static func stasisApplication(_ data: String) -> String {
        String(data.split(whereSeparator: { $0 == "," || $0 == "|" }).first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func stasisArguments(_ data: String) -> [String] {
        data.split(whereSeparator: { $0 == "," || $0 == "|" }).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    // MARK: - Shutdown

    private func drainOnShutdown() async {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: a hard stop; sessions clean up as their tasks end.
            return
        }
        registry.accepting = false
        logger.info("shutting down: no new calls", metadata: ["active": "\(registry.count)", "drain_s": "\(shutdown.drain)"])
        let deadline = ContinuousClock.now + shutdown.drain
        while registry.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for session in registry.all { session.request(.shutdown(shutdown.remainingCalls)) }
        let cleanupDeadline = ContinuousClock.now + .seconds(15)
        while registry.count > 0, ContinuousClock.now < cleanupDeadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        stopping.store(true, ordering: .relaxed)
        await peerWatch?.retire()
        await connection.stop()
    }
}
