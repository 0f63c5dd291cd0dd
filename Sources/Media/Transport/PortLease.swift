import Synchronization

/// One port taken from a ``PortPool``, held until ``release()`` or until the lease is freed.
///
/// Release is idempotent, so the owner (a call, a ``MediaSocket``) can release on every exit
/// path without bookkeeping; `deinit` releases as a last resort so a forgotten lease cannot
/// shrink the pool forever.
///
/// Threading: any thread.
public final class PortLease: Sendable {
    /// The leased port.
    public let port: UInt16
    private let pool: PortPool
    private let released = Atomic(false)

    init(port: UInt16, pool: PortPool) {
        self.port = port
        self.pool = pool
    }

    /// Whether ``release()`` has run.
    public var isReleased: Bool { released.load(ordering: .acquiring) }

    /// Returns the port to the pool; later calls do nothing.
    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) {
            pool.giveBack(port)
        }
    }

    deinit { release() }
}
