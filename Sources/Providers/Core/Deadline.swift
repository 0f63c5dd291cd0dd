/// Runs an operation against a deadline.
enum Deadline {
    /// The operation's result, or `onTimeout` thrown once `deadline` passes (the operation is
    /// then cancelled). Cancelling the calling task cancels both.
    static func run<Result: Sendable>(
        until deadline: ContinuousClock.Instant, onTimeout: any Error & Sendable,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                throw onTimeout
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw CancellationError() }
            return result
        }
    }
}
