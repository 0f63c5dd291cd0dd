/// Waits `delay`, but not at all when it is zero: a zero-latency fake must add no latency, and
/// even a zero `Task.sleep` goes through the timer (a millisecond and more on a busy machine).
func wait(_ delay: Duration) async throws {
    if delay > .zero {
        try await Task.sleep(for: delay)
    } else {
        try Task.checkCancellation()
    }
}
