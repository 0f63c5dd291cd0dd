import Dispatch

/// A serial Dispatch queue for blocking C calls, awaited from async code.
///
/// pocketsphinx, flite and espeak-ng block for milliseconds to seconds per call. Run on the
/// Swift cooperative pool (two threads on the target machine) they would stall every other
/// task, so each engine gets a serial queue: work runs on Dispatch's own threads, in order,
/// one block at a time — which also serialises access to the engine's C state.
struct BlockingQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` on the queue and returns its result.
    ///
    /// Not cancellable once queued: C work cannot be interrupted, so the caller waits for it
    /// (which keeps the C state consistent for the next block).
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `body` on the queue without waiting, e.g. to free C state off the caller's thread.
    func detach(_ body: @escaping @Sendable () -> Void) {
        queue.async(execute: body)
    }
}
