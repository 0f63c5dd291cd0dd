import Foundation

/// An Asterisk 22 stand-in on 127.0.0.1: ARI REST and the events WebSocket on one ephemeral
/// port, UnicastRTP media, and synthetic phones that call in.
///
/// It behaves as the recordings in `shared/asterisk-ari/captures` show real Asterisk behaving,
/// with its own JSON and RTP code and its own HTTP and WebSocket server (hummingbird and NIO,
/// where ura is a libcurl and libwebsockets client: nothing shared with ura's ARI or Media).
/// Its G.711, JSON, format table and simple resampler are independent of ura's on purpose: a
/// second opinion, so a bug in ura's codec or parser cannot hide by being in both sides.
/// HTTP and the events sockets run on hummingbird and NIO (their event loops and tasks); media
/// has one thread and deferred work one queue. ``stop()`` ends them; call it once when done.
///
/// ```swift
/// let asterisk = try await SimulatedAsterisk()
/// defer { asterisk.stop() }
/// let caller = asterisk.placeCall(from: "1001", to: "100", stasisArgs: ["bot=echo"], script: [.say(samples), .hangUp])
/// ```
public final class SimulatedAsterisk: Sendable {
    /// The settings it was started with.
    public let configuration: SimulatorConfiguration
    private let switchboard: Switchboard
    private let server: HTTPServer
    private let media: MediaClock

    /// Starts listening and the media clock.
    /// - Throws: when no listening socket can be made.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) async throws {
        self.configuration = configuration
        let switchboard = Switchboard(configuration: configuration)
        self.switchboard = switchboard
        let router = RESTRouter(switchboard: switchboard)
        server = try await HTTPServer { router.handle($0) }
        media = MediaClock(switchboard: switchboard)
    }

    /// Stops serving, closes events sockets and the media thread.
    public func stop() {
        server.stop()
        switchboard.stop()
        media.stop()
    }

    /// The HTTP port (Asterisk's 8088).
    public var port: Int { server.port }
    /// `http://127.0.0.1:<port>/ari`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/ari")! }
    /// `ws://127.0.0.1:<port>/ari/events?app=<apps>`.
    public func eventsURL(apps: [String]) -> URL { URL(string: "ws://127.0.0.1:\(port)/ari/events?app=\(apps.joined(separator: ","))")! }
    /// ARI user name.
    public var username: String { configuration.username }
    /// ARI password.
    public var password: String { configuration.password }

    /// A phone calls `to`; the dialplan runs `Stasis(app, stasisArgs...)`.
    ///
    /// When `app` has no events socket, Stasis fails, ``SimulatorCounters/failedStasis`` grows
    /// and the caller's status is ``SyntheticCaller/Status/failedToDialplan``.
    /// `line` sets how the phone packetises and times its RTP (ptime, timestamp jumps, source
    /// changes, silence suppression), which Asterisk passes on to the externalMedia leg.
    /// `recordsAudio: false` keeps nothing of what the phone hears (long soak calls).
    public func placeCall(
        from number: String, to dialled: String, app: String? = nil, stasisArgs: [String] = [], sampleRate: Int = 8000,
        script: [CallerStep] = [], impairments: Impairments = Impairments(), line: PhoneLine = PhoneLine(),
        recordsAudio: Bool = true
    ) -> SyntheticCaller {
        let phone = SyntheticCaller(number: number, dialled: dialled, sampleRate: sampleRate, script: script,
                                    impairments: impairments, line: line, recordsAudio: recordsAudio, switchboard: switchboard)
        switchboard.placeCall(phone, to: dialled, app: app ?? configuration.dialplanApp, args: stasisArgs)
        return phone
    }

    /// A phone calls `to`; the dialplan runs `StasisBroadcast(timeout, filter, args)`
    /// (Asterisk 20.17+/22.7+): every registered app matching `filter` (a regular expression)
    /// gets `CallBroadcast`, the first to `POST /events/claim` gets the call; unclaimed after
    /// `timeout`, `STASISSTATUS=TIMEOUT` and the caller's status becomes
    /// ``SyntheticCaller/Status/failedToDialplan``.
    public func placeBroadcastCall(
        from number: String, to dialled: String, filter: String, timeout: Duration = .milliseconds(500),
        args: [String] = [], sampleRate: Int = 8000, script: [CallerStep] = [], impairments: Impairments = Impairments(),
        line: PhoneLine = PhoneLine(), recordsAudio: Bool = true
    ) -> SyntheticCaller {
        let phone = SyntheticCaller(number: number, dialled: dialled, sampleRate: sampleRate, script: script,
                                    impairments: impairments, line: line, recordsAudio: recordsAudio, switchboard: switchboard)
        switchboard.placeBroadcastCall(phone, to: dialled, filter: filter, timeout: timeout, args: args)
        return phone
    }

    /// Cuts the events sockets as a network failure would (no CLOSE frame) and refuses new ones
    /// for `outage`. Apps are unregistered; their channels stay in Stasis, as in Asterisk.
    public func dropEventConnections(refusingReconnectsFor outage: Duration = .zero) {
        switchboard.dropEventSockets(refusingFor: outage)
    }

    /// The phone behind a live PJSIP channel (e.g. one the app originated).
    public func phone(channelID: String) -> SyntheticCaller? { switchboard.phone(for: channelID) }

    /// Live channels (`id`, `name`, `state`), for leak checks.
    public var channels: [(id: String, name: String, state: String)] {
        switchboard.state.withLock { s in s.channelOrder.compactMap { s.channels[$0] }.map { ($0.id, $0.name, $0.state) } }
    }

    /// Live bridges and their members, for leak checks.
    public var bridges: [(id: String, channels: [String])] {
        switchboard.state.withLock { s in s.bridgeOrder.compactMap { s.bridges[$0] }.map { ($0.id, $0.channels) } }
    }

    /// RTP ports held by live (or just-deleted, until the media thread lets go) channels.
    public var rtpPortsInUse: Int { switchboard.ports.held.count }

    /// Apps with a live events socket.
    public var registeredApps: [String] {
        switchboard.state.withLock { s in s.apps.keys.sorted().filter { switchboard.isRegistered(s, $0) } }
    }

    /// A global dialplan variable as `${GLOBAL(name)}` would read it ("" when unset).
    public func globalVariable(_ name: String) -> String { switchboard.globalVariable(name) }

    /// A snapshot of what the simulator counted so far.
    public var counters: SimulatorCounters { switchboard.counters.snapshot }
}
