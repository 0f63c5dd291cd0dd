import Foundation

/// Passes a response body on through a new stream that enforces a size limit and a first-byte deadline.
///
/// ``start(_:provider:limit:firstByteDeadline:map:failedAfterStart:)`` returns once the first
/// piece is in (or the body ended empty), so a slow first byte is a failure of the request,
/// which ``ProviderEndpoint`` can still retry; a failure after that goes to `failedAfterStart`
/// (for the error counters) as well as to the stream. The relaying task belongs to the returned stream:
/// ending or dropping the stream cancels it, which aborts the transfer.
enum BodyRelay {
    static func start(
        _ body: AsyncThrowingStream<Data, any Error>, provider: String, limit: Int, firstByteDeadline: ContinuousClock.Instant,
        map: @escaping @Sendable (any Error) -> any Error, failedAfterStart: @escaping @Sendable (any Error) -> Void
    ) async throws -> AsyncThrowingStream<Data, any Error> {
        let (output, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let (started, startedContinuation) = AsyncThrowingStream<Void, any Error>.makeStream()
        let pump = Task {
            var total = 0
            var started = false
            do {
                for try await piece in body {
                    total += piece.count
                    guard total <= limit else { throw ProviderError.responseTooLarge(provider: provider, limit: limit) }
                    continuation.yield(piece)
                    started = true
                    startedContinuation.finish()
                }
                continuation.finish()
                startedContinuation.finish()
            } catch {
                let mapped = map(error)
                if started, !(mapped is CancellationError) { failedAfterStart(mapped) }
                continuation.finish(throwing: mapped)
                startedContinuation.finish(throwing: mapped)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        do {
            try await Deadline.run(until: firstByteDeadline, onTimeout: ProviderError.firstByteTimeout(provider: provider)) {
                for try await _ in started {}
            }
        } catch {
            pump.cancel()
            throw error
        }
        return output
    }
}
