import CMediaSockets
import Glibc
import Synchronization

/// The one media clock: a thread that wakes every 20 ms on an absolute monotonic schedule and
/// runs the registered tick handlers of all calls.
///
/// One clock for every call, rather than a timer per call, keeps 1000 calls at a few hundred
/// wake-ups a second instead of 50 000, and keeps all streams in step. The schedule is a
/// ``PacerSchedule``: tick `n` is due at `t0 + n × 20 ms` (`clock_nanosleep` with
/// `TIMER_ABSTIME`), so there is no drift; after a stall at most `maxCatchUp` overdue ticks run
/// and the rest are skipped.
///
/// **Slots.** Each tick is divided into ``slots`` equal slots (default 10 of 2 ms), slot `s` of
/// tick `n` due at `t0 + n × 20 ms + s × 2 ms`. Sending 1000 packets at one instant takes a few
/// milliseconds of `sendto`, so the last call of the batch would always be late; spreading calls
/// over slots (``Pacer`` gives each stream one) keeps every call close to its own schedule and
/// spreads the load on Asterisk too. Each stream still sends exactly every 20 ms.
///
/// Handlers run in two stages: ``Stage/pull`` handlers once per tick, in slot 0 (feed streams
/// on the clock: the inbound jitter buffer, the loopback bot); ``Stage/send`` handlers in every
/// slot, after the pull stage (``Pacer`` sends what is due in that slot). Within a stage they run
/// in registration order.
///
/// Threading: handlers run on the clock thread and must not block (the budget for all calls
/// together is well under 20 ms). Register and remove from any thread.
///
/// Lifecycle: ``start()`` and ``stop()`` are idempotent; ``stop()`` joins the thread (returning
/// within one interval). A stopped clock cannot be restarted. The running thread holds the
/// clock, so an owner must call ``stop()``.
public final class PacerClock: Sendable {
    /// When in a tick a handler runs.
    public enum Stage: Sendable {
        /// Before sending: move audio into outbound streams.
        case pull
        /// Send what is due.
        case send
    }

    /// Identifies a registered handler, for ``removeHandler(_:)``.
    public struct HandlerID: Hashable, Sendable {
        fileprivate let rawValue: UInt64
    }

    /// Counters of the clock thread, in slots (``PacerClock/slots`` per tick).
    public struct Stats: Sendable, Equatable {
        /// Slots whose handlers ran.
        public var slotsRun: UInt64
        /// Overdue slots skipped after stalls.
        public var slotsSkipped: UInt64
    }

    /// A tick handler; runs on the clock thread.
    public typealias Handler = @Sendable (PacerTick) -> Void

    /// Nanoseconds between ticks.
    public let interval: UInt64
    /// Slots per tick; send handlers run once per slot.
    public let slots: Int
    /// Overdue ticks still run after a stall, besides the newest.
    public let maxCatchUp: Int
    /// SCHED_FIFO priority requested for the clock thread, if any.
    public let realtimePriority: Int32?

    private enum Phase {
        case idle, running, stopped
    }

    private struct Handlers {
        var registered: [UInt64: (stage: Stage, handler: Handler)] = [:]
        var nextID: UInt64 = 1
        var snapshot: (pull: [Handler], send: [Handler])? = ([], [])
    }

    private let phase = Mutex((phase: Phase.idle, thread: JoinableThread?.none))
    private let handlers = Mutex(Handlers())
    /// Held by the clock thread while it runs a tick's handlers; ``removeHandler(_:)`` waits on it.
    private let tickLock = Mutex(())
    private let stopRequested = Atomic(false)
    private let loopThreadID = Atomic<UInt>(0)
    private let slotsRun = Atomic<UInt64>(0)
    private let slotsSkipped = Atomic<UInt64>(0)
    private let realtimeGranted = Atomic(false)
    /// Set while the clock thread runs a slot's handlers.
    private let inSlot = Atomic(false)
    /// Slot passes the clock thread has finished.
    private let slotsPassed = Atomic<UInt64>(0)
    /// Tasks waiting in ``slotPassed()``, with the count of passes they must see exceeded.
    private let passWaiters = Mutex<(list: [(after: UInt64, continuation: UnsafeContinuation<Void, Never>)], stopped: Bool)>(([], false))
    private let hasPassWaiters = Atomic(false)

    /// - Parameters:
    ///   - interval: time between ticks (20 ms: one RTP frame).
    ///   - slots: slots per tick (send handlers run once per slot); `interval` must divide evenly.
    ///   - maxCatchUp: overdue ticks still run after a stall, besides the newest; the rest are
    ///     skipped (their RTP time still passes).
    ///   - realtimePriority: SCHED_FIFO priority (1...99) for the clock thread, or nil for the
    ///     normal scheduler. Needs CAP_SYS_NICE; when refused the thread runs normally
    ///     (see ``isRealtime``).
    public init(
        interval: Duration = .milliseconds(20), slots: Int = 10, maxCatchUp: Int = 3, realtimePriority: Int32? = nil
    ) {
        let (seconds, attoseconds) = interval.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        precondition(nanoseconds > 0, "PacerClock interval must be positive, got \(interval)")
        precondition(slots > 0 && nanoseconds % Int64(slots) == 0,
                     "PacerClock interval \(interval) must split into \(slots) whole-nanosecond slots")
        precondition(maxCatchUp >= 0, "PacerClock maxCatchUp must not be negative, got \(maxCatchUp)")
        self.interval = UInt64(nanoseconds)
        self.slots = slots
        self.maxCatchUp = maxCatchUp
        self.realtimePriority = realtimePriority
    }

    /// Tick counters so far.
    public var stats: Stats {
        Stats(slotsRun: slotsRun.load(ordering: .relaxed), slotsSkipped: slotsSkipped.load(ordering: .relaxed))
    }

    /// Whether the clock thread got the requested real-time priority.
    public var isRealtime: Bool { realtimeGranted.load(ordering: .relaxed) }

    /// True on the clock thread.
    var isOnClockThread: Bool { loopThreadID.load(ordering: .acquiring) == pthread_self() }

    /// Registers `handler` to run on every tick, from the next tick on.
    ///
    /// - Parameters:
    ///   - stage: ``Stage/pull`` handlers run once per tick (slot 0), before that slot's
    ///     ``Stage/send`` handlers; send handlers run in every slot.
    ///   - handler: runs on the clock thread; must be quick and must not block.
    /// - Returns: the id to pass to ``removeHandler(_:)``.
    @discardableResult
    public func addHandler(stage: Stage, _ handler: @escaping Handler) -> HandlerID {
        handlers.withLock { handlers in
            let id = handlers.nextID
            handlers.nextID += 1
            handlers.registered[id] = (stage, handler)
            handlers.snapshot = nil
            return HandlerID(rawValue: id)
        }
    }

    /// Removes a handler; unknown ids are ignored.
    ///
    /// Off the clock thread this waits for a tick in progress, so once it returns the handler
    /// is not running and will not run again.
    ///
    /// - Warning: do not call it while holding a lock a tick handler takes: that deadlocks.
    public func removeHandler(_ id: HandlerID) {
        handlers.withLock { handlers in
            if handlers.registered.removeValue(forKey: id.rawValue) != nil { handlers.snapshot = nil }
        }
        waitForTickInProgress()
    }

    /// Off the clock thread, returns once a tick in progress (if any) has finished; on the
    /// clock thread returns at once.
    func waitForTickInProgress() {
        if !isOnClockThread {
            tickLock.withLock { _ in }
        }
    }

    /// Returns once no slot's handlers that may have begun before this call are still running,
    /// without blocking a thread: the task waits for the clock to finish that slot (at most
    /// one slot's work). What a handler took out of shared state before this call (a pacer's
    /// list of streams) is then no longer in use.
    func slotPassed() async {
        guard !isOnClockThread, inSlot.load(ordering: .sequentiallyConsistent) else { return }
        let seen = slotsPassed.load(ordering: .sequentiallyConsistent)
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let waiting = passWaiters.withLock { waiters -> Bool in
                guard !waiters.stopped, slotsPassed.load(ordering: .sequentiallyConsistent) == seen else { return false }
                waiters.list.append((seen, continuation))
                hasPassWaiters.store(true, ordering: .sequentiallyConsistent)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Resumes the waiters whose slot has passed (all of them once the clock has stopped).
    private func resumePassWaiters(stopped: Bool = false) {
        let passed = slotsPassed.load(ordering: .sequentiallyConsistent)
        let ready = passWaiters.withLock { waiters -> [UnsafeContinuation<Void, Never>] in
            if stopped { waiters.stopped = true }
            let ready = waiters.list.filter { stopped || $0.after < passed }.map(\.continuation)
            waiters.list.removeAll { stopped || $0.after < passed }
            hasPassWaiters.store(!waiters.list.isEmpty, ordering: .sequentiallyConsistent)
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Starts the clock thread; tick 0 is due one interval later. Idempotent while running.
    ///
    /// - Throws: ``TransportError/closed`` after ``stop()``; ``TransportError/system(call:errno:)``
    ///   when the thread cannot be created.
    public func start() throws(TransportError) {
        try phase.withLock { state throws(TransportError) in
            switch state.phase {
            case .running: return
            case .stopped: throw .closed
            case .idle:
                state.thread = try JoinableThread(name: "ura-pacer") { [self] in
                    loopThreadID.store(pthread_self(), ordering: .releasing)
                    if let realtimePriority {
                        realtimeGranted.store(cms_thread_set_realtime(realtimePriority) == 0, ordering: .relaxed)
                    }
                    run()
                }
                state.phase = .running
            }
        }
    }

    /// Stops the clock and joins its thread (within one interval). Idempotent.
    ///
    /// - Warning: do not call it from a tick handler (the clock thread cannot join itself).
    public func stop() {
        let thread = phase.withLock { state -> JoinableThread? in
            defer { state.thread = nil }
            state.phase = .stopped
            stopRequested.store(true, ordering: .releasing)
            return state.thread
        }
        thread?.join()
        resumePassWaiters(stopped: true)
    }

    private func run() {
        var schedule = PacerSchedule(
            origin: MonotonicClock.now() + interval, tickInterval: interval, slots: slots, maxCatchUpTicks: maxCatchUp)
        while !stopRequested.load(ordering: .acquiring) {
            MonotonicClock.sleep(until: schedule.nextDeadline)
            if stopRequested.load(ordering: .acquiring) { break }
            let step = schedule.advance(now: MonotonicClock.now())
            guard !step.ticks.isEmpty else { continue }
            slotsRun.increment(by: UInt64(step.ticks.count))
            if step.skipped > 0 { slotsSkipped.increment(by: step.skipped) }
            inSlot.store(true, ordering: .sequentiallyConsistent)
            tickLock.withLock { _ in
                let (pull, send) = currentHandlers()
                for slotIndex in step.ticks {
                    let tick = schedule.pacerTick(slotIndex: slotIndex, slots: slots, in: step)
                    if tick.slot == 0 {
                        for handler in pull { handler(tick) }
                    }
                    for handler in send { handler(tick) }
                }
            }
            slotsPassed.add(1, ordering: .sequentiallyConsistent)
            inSlot.store(false, ordering: .sequentiallyConsistent)
            if hasPassWaiters.load(ordering: .sequentiallyConsistent) { resumePassWaiters() }
        }
    }

    private func currentHandlers() -> (pull: [Handler], send: [Handler]) {
        handlers.withLock { handlers in
            if let snapshot = handlers.snapshot { return snapshot }
            var pull: [Handler] = []
            var send: [Handler] = []
            for id in handlers.registered.keys.sorted() {
                let entry = handlers.registered[id]!
                switch entry.stage {
                case .pull: pull.append(entry.handler)
                case .send: send.append(entry.handler)
                }
            }
            handlers.snapshot = (pull, send)
            return (pull, send)
        }
    }
}
