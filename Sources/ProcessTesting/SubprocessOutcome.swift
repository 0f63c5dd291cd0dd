import Foundation
import Synchronization

/// What a running program has delivered so far: its exit status and all of each pipe.
///
/// The pieces arrive on Foundation's and `PipeDrain`'s threads; one task awaits them with
/// `complete(within:)`, which never blocks a thread of the cooperative pool.
final class SubprocessOutcome: Sendable {
    struct Collected {
        var status: Int32?
        var output: Data?
        var error: Data?

        var isComplete: Bool { status != nil && output != nil && error != nil }
    }

    private struct State {
        var collected = Collected()
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    /// What has arrived so far.
    var collected: Collected { state.withLock { $0.collected } }

    func exited(status: Int32) { update { $0.status = status } }
    func read(output: Data) { update { $0.output = output } }
    func read(error: Data) { update { $0.error = error } }

    /// Waits until the exit and both pipes have arrived (true), or until `duration` passed or the
    /// task was cancelled (false). One caller at a time.
    func complete(within duration: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.completion() }
            group.addTask {
                try? await Task.sleep(for: duration)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func update(_ change: (inout Collected) -> Void) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            change(&state.collected)
            return state.collected.isComplete ? state.waiter.take() : nil
        }
        waiter?.resume(returning: true)
    }

    private func completion() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer = state.withLock { state -> Bool? in
                    if state.collected.isComplete { return true }
                    if Task.isCancelled { return false }
                    state.waiter = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.waiter.take() }?.resume(returning: false)
        }
    }
}
