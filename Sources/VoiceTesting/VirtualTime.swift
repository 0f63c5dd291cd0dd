import DequeModule
import Dispatch
import Foundation
import Synchronization
import Voice

/// Time that passes only when a test says so, for conversations that run on it.
///
/// A conversation given this clock and ``executor`` runs all its tasks (loop, recognition,
/// replies, and, run under ``current``, the scripted providers' own tasks) on the executor's one
/// thread. ``advance(to:)`` moves the clock to each sleeper's deadline in turn,
/// wakes it, and waits until the executor has nothing left to run before the next: when it
/// returns, everything that much time would have set off has happened and nothing is running.
/// A test then reads the conversation's state without races, and five seconds of a call take
/// a few milliseconds, the same way every run.
///
/// Only work on ``executor`` is seen: a task started without that preference (a plain
/// `Task {}`, which does not inherit it) runs elsewhere, and its effects may come after
/// ``advance(to:)`` returned. Run the conversation under ``current`` so that the scripted
/// providers' tasks run there too.
public final class VirtualTime: ConversationClock, Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// Where the conversation's tasks must run for the clock to know when they are done.
    public let executor = SteppedExecutor()

    /// The virtual time the calling task's conversation runs on, if any. The scripted providers
    /// (``ScriptedBrain``, ``ScriptedSynthesizer``, …) wait on it and run on its executor, so a
    /// test sets it around the conversation and gives them nothing.
    @TaskLocal public static var current: VirtualTime?

    private struct Sleeper {
        let deadline: Instant
        let id: Int
        let wake: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// A clock whose time starts now and stands still until advanced.
    public init() {
        state = Mutex(State(now: ContinuousClock.now))
    }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Sleeps until the clock is advanced to `deadline` (at once when it is there already).
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (wake: CheckedContinuation<Void, any Error>) in
                let result = state.withLock { state -> Result<Void, any Error>? in
                    if deadline <= state.now { return .success(()) }
                    // Checked under the lock: a cancel that came before is not missed.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.sleepers.append(Sleeper(deadline: deadline, id: id, wake: wake))
                    return nil
                }
                if let result { wake.resume(with: result) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.wake.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `duration`; see ``advance(to:)``.
    public func advance(by duration: Duration) async {
        await advance(to: now + duration)
    }

    /// Moves time to `target`, waking sleepers in the order of their deadlines (those with the
    /// same deadline in the order they slept) and letting each one's work finish before the next.
    public func advance(to target: Instant) async {
        while true {
            await executor.idle()
            let due = state.withLock { state -> Sleeper? in
                let ready = state.sleepers.indices.filter { state.sleepers[$0].deadline <= target }
                guard let first = ready.min(by: { (state.sleepers[$0].deadline, state.sleepers[$0].id) < (state.sleepers[$1].deadline, state.sleepers[$1].id) }) else {
                    if target > state.now { state.now = target }
                    return nil
                }
                let sleeper = state.sleepers.remove(at: first)
                if sleeper.deadline > state.now { state.now = sleeper.deadline }
                return sleeper
            }
            guard let due else { break }
            due.wake.resume()
        }
        await executor.idle()
    }

    /// Waits until everything the last input set off has run (no time passes).
    public func settle() async {
        await executor.idle()
    }
}

/// One thread that runs jobs in the order they came and says when it has none left: the
/// executor ``VirtualTime`` steps.
public final class SteppedExecutor: TaskExecutor {
    private struct State {
        var jobs = Deque<UnownedJob>()
        var running = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    /// Shared with the worker thread, which must not keep the executor itself alive.
    private final class Queue: Sendable {
        let state = Mutex(State())
        /// One signal per job queued (and one to close); the worker runs all it finds on each.
        let signal = DispatchSemaphore(value: 0)
    }

    private let queue = Queue()

    public init() {
        let queue = queue
        let executor = UnownedTaskExecutor(ordinary: self)
        Thread.detachNewThread { Self.work(queue, executor) }
    }

    deinit {
        queue.state.withLock { $0.closed = true }
        queue.signal.signal()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.state.withLock { $0.jobs.append(job) }
        queue.signal.signal()
    }

    /// Returns once no job is queued or running.
    public func idle() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = queue.state.withLock { state in
                if state.jobs.isEmpty, !state.running { return true }
                state.idleWaiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }

    private static func work(_ queue: Queue, _ executor: UnownedTaskExecutor) {
        while true {
            queue.signal.wait()
            while true {
                let next = queue.state.withLock { state -> UnownedJob? in
                    guard let job = state.jobs.popFirst() else { return nil }
                    state.running = true
                    return job
                }
                guard let next else { break }
                next.runSynchronously(on: executor)
                let waiters = queue.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.running = false
                    guard state.jobs.isEmpty else { return [] }
                    defer { state.idleWaiters.removeAll() }
                    return state.idleWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
            if queue.state.withLock({ $0.closed && $0.jobs.isEmpty }) { return }
        }
    }
}
