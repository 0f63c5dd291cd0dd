import Dispatch
import Foundation
import Synchronization

/// The simulated PBX core: channels, bridges, Stasis apps and their events sockets.
///
/// All state sits behind one lock. Operations run on HTTP connection threads, the deferred
/// queue and the media thread; each takes the lock, changes state and queues the resulting
/// events on the owning sockets (an append, never I/O), so event order follows state order.
/// Events are routed the way `res/stasis/app.c` does: to the app the channel is in, the app that
/// created it (externalMedia, originate), apps subscribed to it explicitly, and apps whose
/// channels joined the bridge concerned.
final class Switchboard: Sendable {
    let configuration: SimulatorConfiguration
    let state: Mutex<State>
    let counters = CounterStore()
    let ports: PortAllocator
    private let deferred = DispatchQueue(label: "asterisk-sim-deferred")
    private let stopped = Atomic<Bool>(false)
    /// Bumped whenever who-hears-whom changes, so the media thread re-reads its routes at once
    /// (audio must flow as soon as addChannel has answered).
    let topology = Atomic<Int>(0)
    /// `1795695868` in `1795695868.0`: the seconds part of every unique id.
    let idPrefix = ARITimestamp.epochSeconds()
    let startupTime = ARITimestamp.now()

    struct State {
        var channels: [String: ChannelRecord] = [:]
        /// Creation order, for `GET /channels`.
        var channelOrder: [String] = []
        var bridges: [String: BridgeRecord] = [:]
        var bridgeOrder: [String] = []
        var apps: [String: AppRecord] = [:]
        /// Global dialplan variables (`/asterisk/variable`).
        var globals: [String: String] = [:]
        var sockets: [Int: EventSocket] = [:]
        /// Until then, events socket upgrades are refused (a network outage between ura and Asterisk).
        var refuseEventsUntil: ContinuousClock.Instant?
        var nextChannel = 0
        var nextSocket = 0
        var nextPlayback = 0
        var nextPhoneName = 0
    }

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        ports = PortAllocator(range: configuration.rtpPorts)
        state = Mutex(State())
    }

    /// Stops deferred work, closes every events socket and forgets all channels (closing their
    /// media sockets and letting go of the phones, which point back here).
    func stop() {
        stopped.store(true, ordering: .releasing)
        let old = state.withLock { s in
            defer { s = State() }
            return s
        }
        for socket in old.sockets.values { socket.close(code: 1001) }
        for channel in old.channels.values {
            switch channel.kind {
            case .phone(let phone): phone.remoteEnded()
            case .unicastRTP(let endpoint): endpoint.close()
            }
        }
    }

    /// Runs `work` on the deferred queue after `delay`, unless the simulator stopped meanwhile.
    func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) {
        let nanoseconds = Int(delay.components.seconds) * 1_000_000_000 + Int(delay.components.attoseconds / 1_000_000_000)
        deferred.asyncAfter(deadline: .now() + .nanoseconds(max(0, nanoseconds))) { [self] in
            guard !stopped.load(ordering: .acquiring) else { return }
            work()
        }
    }

    // MARK: Events

    /// Queues one event for every app that should see it (see the type's routing rules).
    func emit(_ s: inout State, _ type: String, _ fields: [(String, JSON)], channels: [String] = [], bridge: String? = nil) {
        var recipients: [String] = []
        func add(_ app: String?) {
            if let app, !recipients.contains(app) { recipients.append(app) }
        }
        for id in channels {
            add(s.channels[id]?.stasisApp)
            add(s.channels[id]?.ownerApp)
            for app in s.apps.values.sorted(by: { $0.name < $1.name }) where app.subscribedChannels.contains(id) { add(app.name) }
        }
        if let bridge {
            for app in (s.bridges[bridge]?.apps ?? []).sorted() { add(app) }
            for app in s.apps.values.sorted(by: { $0.name < $1.name }) where app.subscribedBridges.contains(bridge) { add(app.name) }
        }
        emit(&s, type, fields, to: recipients)
    }

    /// Queues one event for each of `recipients` (an app without a socket misses it).
    func emit(_ s: inout State, _ type: String, _ fields: [(String, JSON)], to recipients: [String]) {
        let timestamp = ARITimestamp.now()
        for app in recipients {
            guard let socket = s.apps[app]?.owner else {
                counters.update { $0.missedEvents += 1 }
                continue
            }
            let event: JSON = .object([("type", .string(type)), ("timestamp", .string(timestamp))] + fields
                + [("asterisk_id", .string(configuration.asteriskID)), ("application", .string(app))])
            socket.send(text: event.serialized)
        }
    }

    /// Emits a channel event whose only payload is the channel snapshot (plus `extra` fields first).
    func emitChannel(_ s: inout State, _ type: String, _ id: String, _ extra: [(String, JSON)] = []) {
        guard let channel = s.channels[id] else { return }
        emit(&s, type, extra + [("channel", channel.json)], channels: [id])
    }

    /// Sets a channel variable and emits ChannelVarset, as `pbx_builtin_setvar_helper` does.
    func setVariable(_ s: inout State, _ id: String, _ name: String, _ value: String) {
        s.channels[id]?.variables[name] = value
        emitChannel(&s, "ChannelVarset", id, [("variable", .string(name)), ("value", .string(value))])
    }

    // MARK: Sockets and app registration

    /// Registers the apps of a new events socket; the previous owner of each gets ApplicationReplaced.
    func register(_ socket: EventSocket) {
        state.withLock { s in
            s.sockets[socket.identifier] = socket
            for name in socket.apps {
                var app = s.apps[name] ?? AppRecord(name: name)
                if let old = app.owner, old !== socket, !old.isClosed {
                    let event: JSON = .object([
                        ("type", "ApplicationReplaced"), ("timestamp", .string(ARITimestamp.now())),
                        ("asterisk_id", .string(configuration.asteriskID)), ("application", .string(name)),
                    ])
                    old.send(text: event.serialized)
                }
                app.owner = socket
                s.apps[name] = app
            }
        }
    }

    /// Unregisters the apps a closed socket still owns; channels stay in Stasis, as Asterisk keeps them.
    func socketClosed(_ socket: EventSocket, slow: Bool) {
        if slow { counters.update { $0.slowConsumerDisconnects += 1 } }
        state.withLock { s in
            s.sockets[socket.identifier] = nil
            for name in socket.apps where s.apps[name]?.owner === socket {
                s.apps[name]?.owner = nil
            }
        }
    }

    /// Cuts every events socket; new ones are refused for `outage`.
    func dropEventSockets(refusingFor outage: Duration) {
        let sockets = state.withLock { s in
            s.refuseEventsUntil = .now + outage
            return Array(s.sockets.values)
        }
        for socket in sockets { socket.kill() }
    }

    /// Whether events sockets are refused right now.
    var refusingEvents: Bool { state.withLock { s in s.refuseEventsUntil.map { ContinuousClock.now < $0 } ?? false } }

    func newSocketIdentifier() -> Int { state.withLock { s in s.nextSocket += 1; return s.nextSocket } }

    /// Whether `app` has a live socket.
    func isRegistered(_ s: State, _ app: String) -> Bool { s.apps[app]?.owner.map { !$0.isClosed } ?? false }

    // MARK: Ids

    func newChannelID(_ s: inout State) -> String {
        defer { s.nextChannel += 1 }
        return "\(idPrefix).\(s.nextChannel)"
    }

    /// A fake `ast_channel` pointer for UnicastRTP channel names (`-0x7f34e8004950`).
    static func fakePointer() -> String { "0x7f" + String(UInt64.random(in: 0x10_0000_0000...0xff_ffff_ffff), radix: 16) }
}
