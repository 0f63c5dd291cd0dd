import ARI
import Synchronization

/// Which sessions exist and which channels and bridges each one owns.
///
/// Shared by the events loop (routing), the session tasks (removal), reconciliation and the
/// shutdown drain, so it is a lock-protected table rather than an actor: routing an event costs
/// one lock, not a hop.
final class CallRegistry: Sendable {
    private struct State {
        var byCaller: [ChannelID: CallSession] = [:]
        var byChannel: [ChannelID: CallSession] = [:]
        var accepting = true
    }

    private let state = Mutex(State())

    enum Registration { case registered, duplicate }

    /// Adds a session unless its caller already has one (a StasisStart racing a reconcile
    /// adoption); checked and added under one lock.
    func register(_ session: CallSession) -> Registration {
        state.withLock { state in
            guard state.byCaller[session.caller.id] == nil else { return .duplicate }
            state.byCaller[session.caller.id] = session
            for channel in session.ownedChannels { state.byChannel[channel] = session }
            return .registered
        }
    }

    func remove(_ session: CallSession) {
        state.withLock { state in
            guard state.byCaller[session.caller.id] === session else { return }
            state.byCaller[session.caller.id] = nil
            for channel in session.ownedChannels where state.byChannel[channel] === session { state.byChannel[channel] = nil }
        }
    }

    /// The sessions an event concerns, each once.
    func sessions(for channels: [ChannelID]) -> [CallSession] {
        state.withLock { state in
            var found: [CallSession] = []
            for channel in channels {
                if let session = state.byChannel[channel], !found.contains(where: { $0 === session }) { found.append(session) }
            }
            return found
        }
    }

    func owner(of channel: ChannelID) -> CallSession? { state.withLock { $0.byChannel[channel] } }

    var all: [CallSession] { state.withLock { Array($0.byCaller.values) } }

    var count: Int { state.withLock { $0.byCaller.count } }

    /// Whether new calls are taken (false once shutdown began).
    var accepting: Bool {
        get { state.withLock { $0.accepting } }
        set { state.withLock { $0.accepting = newValue } }
    }

    /// Channels and bridges owned by live sessions.
    var ownedResources: (channels: Set<ChannelID>, bridges: Set<BridgeID>) {
        state.withLock { state in
            (Set(state.byChannel.keys), Set(state.byCaller.values.map(\.names.bridge)))
        }
    }
}
