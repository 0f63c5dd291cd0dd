import CMediaSockets
import Glibc
import Synchronization

/// The one media clock: a thread that wakes every 20 ms on an absolute monotonic schedule and
/// runs the registered tick handlers of all calls.
///
/// One clock for every call, rather than a timer per call, keeps 1000 calls at 50 wake-ups a
/// second instead of 50 000, and keeps all streams in step. The schedule is a
/// ``PacerSchedule``: tick `n` is due at `t0 + n × 20 ms` (`clock_nanosleep` with
/// `TIMER_ABSTIME`), so there is no drift; after a stall at most `maxCatchUp` overdue ticks run.
///
/// Handlers run in two stages per tick: ``Stage/pull`` first (feed streams on the clock: the
/// inbound jitter buffer, the loopback bot), then ``Stage/send`` (``Pacer`` sends what is due).
/// Within a stage they run in registration order.
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

    /// Counters of the clock thread.
    public struct Stats: Sendable, Equatable {
        /// Ticks whose handlers ran.
        public var ticksRun: UInt64
        /// Overdue ticks skipped after stalls.
        public var ticksSkipped: UInt64
    }

    public typealias Handler = @Sendable (PacerTick) -> Void

    /// Nanoseconds between ticks.
    public let interval: UInt64
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
    private let ticksRun = Atomic<UInt64>(0)
    private let ticksSkipped = Atomic<UInt64>(0)
    private let realtimeGranted = Atomic(false)

    /// - Parameters:
    ///   - interval: time between ticks (20 ms: one RTP frame).
    ///   - maxCatchUp: overdue ticks still run after a stall, besides the newest; the rest are
    ///     skipped (their RTP time still passes).
    ///   - realtimePriority: SCHED_FIFO priority (1...99) for the clock thread, or nil for the
    ///     normal scheduler. Needs CAP_SYS_NICE; when refused the thread runs normally
    ///     (see ``isRealtime``).
    public init(interval: Duration = .milliseconds(20), maxCatchUp: Int = 3, realtimePriority: Int32? = nil) {
        let (seconds, attoseconds) = interval.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        precondition(nanoseconds > 0, "PacerClock interval must be positive, got \(interval)")
        precondition(maxCatchUp >= 0, "PacerClock maxCatchUp must not be negative, got \(maxCatchUp)")
        self.interval = UInt64(nanoseconds)
        self.maxCatchUp = maxCatchUp
        self.realtimePriority = realtimePriority
    }

    /// Tick counters so far.
    public var stats: Stats {
        Stats(ticksRun: ticksRun.load(ordering: .relaxed), ticksSkipped: ticksSkipped.load(ordering: .relaxed))
    }

    /// Whether the clock thread got the requested real-time priority.
    public var isRealtime: Bool { realtimeGranted.load(ordering: .relaxed) }

    /// True on the clock thread.
    var isOnClockThread: Bool { loopThreadID.load(ordering: .acquiring) == pthread_self() }

    /// Registers `handler` to run on every tick, from the next tick on.
    ///
    /// - Parameters:
    ///   - stage: ``Stage/pull`` handlers run before ``Stage/send`` handlers in each tick.
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
    }

    private func run() {
        var schedule = PacerSchedule(origin: MonotonicClock.now() + interval, interval: interval, maxCatchUp: maxCatchUp)
        while !stopRequested.load(ordering: .acquiring) {
            MonotonicClock.sleep(until: schedule.nextDeadline)
            if stopRequested.load(ordering: .acquiring) { break }
            let step = schedule.advance(now: MonotonicClock.now())
            guard !step.ticks.isEmpty else { continue }
            ticksRun.increment(by: UInt64(step.ticks.count))
            if step.skipped > 0 { ticksSkipped.increment(by: step.skipped) }
            tickLock.withLock { _ in
                let (pull, send) = currentHandlers()
                for index in step.ticks {
                    let tick = PacerTick(
                        index: index, deadline: schedule.deadline(ofTick: index),
                        skippedBefore: index == step.ticks.lowerBound ? step.skipped : 0)
                    for handler in pull { handler(tick) }
                    for handler in send { handler(tick) }
                }
            }
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
