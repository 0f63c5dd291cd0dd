import Synchronization

/// Fans call events out to every live-event subscriber, never letting a slow one hold up the call.
///
/// `Calls` calls ``publish(_:)`` from whatever task or thread the event happens on; it only takes
/// a lock and hands the event to each subscriber's bounded buffer, so it never waits. When a
/// subscriber's buffer is full its oldest event is dropped and counted (per subscription, in
/// ``droppedEvents`` and through `onDrop`, which ura wires to a metric): a stalled SSE client
/// loses old events, the call loses nothing.
///
/// A subscription ends when its consumer stops iterating (the HTTP client went away) or when
/// ``finish()`` is called at shutdown.
public final class CallEventHub: Sendable {
    private struct Subscriber {
        let callID: String?
        let continuation: AsyncStream<CallEvent>.Continuation
        let dropped: DropCounter
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var finished = false
        var dropped = 0
    }

    /// How many events each subscriber may have waiting.
    public let bufferSize: Int
    private let state = Mutex(State())
    private let onDrop: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - bufferSize: events held per subscriber before the oldest is dropped.
    ///   - onDrop: told how many events were just dropped (for a metric); called without the lock held.
    public init(bufferSize: Int = 256, onDrop: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.bufferSize = max(1, bufferSize)
        self.onDrop = onDrop
    }

    /// Starts receiving events: those of one call, or of every call when `callID` is nil.
    ///
    /// Events published before this call are not replayed.
    public func subscribe(callID: String? = nil) -> CallEventSubscription {
        makeSubscription(callID: callID, limit: nil).subscription
    }

    /// Starts receiving events unless `limit` subscriptions are open already (then nil).
    ///
    /// The count and the new subscription are one step, so concurrent callers never exceed `limit`.
    public func subscribe(callID: String? = nil, limit: Int) -> CallEventSubscription? {
        let (subscription, refused) = makeSubscription(callID: callID, limit: limit)
        return refused ? nil : subscription
    }

    /// A subscription, already finished when the hub is finished or `limit` is reached (`refused`).
    private func makeSubscription(callID: String?, limit: Int?) -> (subscription: CallEventSubscription, refused: Bool) {
        let (stream, continuation) = AsyncStream<CallEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let counter = DropCounter()
        var refused = false
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            if let limit, state.subscribers.count >= limit {
                refused = true
                return nil
            }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(callID: callID, continuation: continuation, dropped: counter)
            return id
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
            }
        } else {
            continuation.finish()
        }
        return (CallEventSubscription(stream: stream, continuation: continuation, dropped: counter), refused)
    }

    /// Hands the event to every subscriber that wants it. Never blocks.
    public func publish(_ event: CallEvent) {
        let targets = state.withLock { state in
            state.subscribers.values.filter { $0.callID == nil || $0.callID == event.callID }
        }
        var dropped = 0
        for target in targets {
            if case .dropped = target.continuation.yield(event) {
                target.dropped.add(1)
                dropped += 1
            }
        }
        if dropped > 0 {
            state.withLock { $0.dropped += dropped }
            onDrop(dropped)
        }
    }

    /// Events dropped so far across all subscribers.
    public var droppedEvents: Int { state.withLock { $0.dropped } }

    /// How many subscriptions are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every subscription and refuses new ones (they end at once). Idempotent.
    public func finish() {
        let continuations = state.withLock { state in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return state.subscribers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }
}

/// A thread-safe count of one subscription's dropped events.
final class DropCounter: Sendable {
    private let count = Mutex(0)

    func add(_ value: Int) { count.withLock { $0 += value } }

    var value: Int { count.withLock { $0 } }
}
