/// The time a fake provider keeps: that of the conversation calling it.
///
/// Real time, unless the calling task runs under ``VirtualTime/current`` (a test's virtual time):
/// then the fake waits on that clock and produces on its executor, where the clock sees the work
/// (a plain `Task {}` would run on the default pool, and its effects could land after the clock
/// had moved on). Fakes produce in a task of their own, ahead of their consumer, as a real
/// provider's network stream does.
struct FakeTime: Sendable {
    let virtual: VirtualTime?

    /// The calling task's time.
    static var current: FakeTime { FakeTime(virtual: VirtualTime.current) }

    /// Where the fake's producing task runs: the virtual time's executor, or the default pool.
    var executor: (any TaskExecutor)? { virtual?.executor }

    /// A stream that `produce` fills from a task of its own on ``executor``, finished when
    /// `produce` returns or throws, and cancelled when its consumer stops listening.
    func stream<Element: Sendable>(
        _ produce: @escaping @Sendable (AsyncThrowingStream<Element, any Error>.Continuation) async throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task(executorPreference: executor) {
                do {
                    try await produce(continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Waits `delay`, but not at all when it is zero: a zero-latency fake must add no latency,
    /// and even a zero `Task.sleep` goes through the timer (a millisecond and more on a busy
    /// machine).
    func wait(_ delay: Duration) async throws {
        guard delay > .zero else { return try Task.checkCancellation() }
        if let virtual {
            try await virtual.sleep(for: delay)
        } else {
            try await Task.sleep(for: delay)
        }
    }
}
