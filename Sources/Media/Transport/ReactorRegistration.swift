import Synchronization

/// The link between one ``MediaSocket`` and the ``MediaReactor`` reading it.
///
/// The socket owns its registration and cancels it on close; the reactor keeps it in its table
/// under ``token`` (the epoll event data). Holding the socket weakly lets an abandoned socket
/// deinit (and close itself) even while registered.
///
/// Threading: ``dispatch(batch:batchSize:maxReads:)`` runs on the reactor thread under ``dispatchLock``;
/// ``cancel()`` may run on any thread and, off the reactor thread, waits on that lock, so
/// once it returns the handler is not running and will not run again.
final class ReactorRegistration: Sendable {
    let token: UInt64
    let descriptor: Int32
    weak let socket: MediaSocket?
    weak let reactor: MediaReactor?
    let handler: @Sendable (ReceivedDatagram) -> Void
    private let alive = Atomic(true)
    private let dispatchLock = Mutex(())

    init(
        token: UInt64, descriptor: Int32, socket: MediaSocket, reactor: MediaReactor,
        handler: @escaping @Sendable (ReceivedDatagram) -> Void
    ) {
        self.token = token
        self.descriptor = descriptor
        self.socket = socket
        self.reactor = reactor
        self.handler = handler
    }

    func dispatch(batch: OpaquePointer, batchSize: Int, maxReads: Int) {
        dispatchLock.withLock { _ in
            guard alive.load(ordering: .acquiring), let socket else { return }
            socket.drain(
                batch: batch, batchSize: batchSize, maxReads: maxReads,
                isRegistered: { alive.load(ordering: .relaxed) }, handler: handler)
        }
    }

    /// Removes the registration from the reactor; later calls do nothing.
    func cancel() {
        guard alive.exchange(false, ordering: .acquiringAndReleasing) else { return }
        guard let reactor else { return }
        reactor.remove(self)
        if !reactor.isOnReactorThread {
            dispatchLock.withLock { _ in }
        }
    }
}
