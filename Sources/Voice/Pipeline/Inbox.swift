import DequeModule
import Synchronization

/// A conversation loop's inputs, in arrival order: posted from any thread, taken by one task.
///
/// What `AsyncStream` does for the loop, without allocating per input: the media clock posts a
/// frame every 20 ms per call, and an `AsyncStream` allocates on each yield that wakes its
/// consumer (its storage is generic code the optimiser cannot specialise). The inputs sit in a
/// deque that grows only when the loop falls behind, and a waiting consumer is resumed directly.
/// Unbounded: a producer never waits and nothing posted is lost (the pipeline bounds frames
/// itself).
final class Inbox<Element: Sendable>: Sendable {
    private struct State {
        /// Grows only when the loop falls further behind than ever before; never shrinks.
        var queue: Deque<Element>
        var waiter: UnsafeContinuation<Element?, Never>?
    }

    private let state: Mutex<State>

    /// An empty inbox with room for `capacity` inputs before it first grows.
    init(capacity: Int = 64) {
        state = Mutex(State(queue: Deque(minimumCapacity: capacity)))
    }

    /// Adds `element` after those posted before; never blocks.
    func post(_ element: Element) {
        let waiter = state.withLock { state -> UnsafeContinuation<Element?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queue.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    /// The next input, waiting for one if need be; nil once the calling task is cancelled.
    func next() async -> Element? {
        if let ready = state.withLock({ $0.queue.popFirst() }) { return ready }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Element?, Never>) in
                let ready = state.withLock { state -> Element?? in
                    if let element = state.queue.popFirst() { return .some(element) }
                    // Checked under the lock: a cancel that came before is not missed.
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
