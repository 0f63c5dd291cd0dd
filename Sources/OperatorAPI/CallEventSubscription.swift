/// The events one subscriber receives from a ``CallEventHub``, in publish order.
///
/// Stop iterating (or cancel the iterating task) to unsubscribe.
public struct CallEventSubscription: AsyncSequence, Sendable {
    public typealias Element = CallEvent

    private let stream: AsyncStream<CallEvent>
    private let continuation: AsyncStream<CallEvent>.Continuation
    private let dropped: DropCounter

    init(stream: AsyncStream<CallEvent>, continuation: AsyncStream<CallEvent>.Continuation, dropped: DropCounter) {
        self.stream = stream
        self.continuation = continuation
        self.dropped = dropped
    }

    /// Unsubscribes without iterating: the hub forgets this subscriber and iteration ends.
    public func cancel() {
        continuation.finish()
    }

    /// Events this subscriber lost because its buffer was full.
    public var droppedEvents: Int { dropped.value }

    public func makeAsyncIterator() -> AsyncStream<CallEvent>.Iterator {
        stream.makeAsyncIterator()
    }
}
