/// The shared rule of the fallback chains: next member only while nothing was yielded.
enum Fallback {
    /// Streams the first member's output that does not fail before its first element.
    ///
    /// The work runs in a task owned by the returned stream (ending or dropping the stream
    /// cancels it, and with it the member's stream).
    static func run<Member: Sendable, Element: Sendable>(
        role: String, members: [Member], name: @escaping @Sendable (Member) -> String, stats: ProviderStats?,
        _ start: @escaping @Sendable (Member) -> AsyncThrowingStream<Element, any Error>
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let task = Task {
            var failures: [String] = []
            for member in members {
                var yielded = false
                do {
                    for try await element in start(member) {
                        yielded = true
                        continuation.yield(element)
                    }
                    continuation.finish()
                    return
                } catch {
                    if yielded || Task.isCancelled || error is CancellationError {
                        continuation.finish(throwing: error)
                        return
                    }
                    failures.append("\(name(member)): \(error)")
                    stats?.count(name(member), "fallback")
                }
            }
            continuation.finish(throwing: ProviderError.allProvidersFailed(role: role, failures: failures))
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
