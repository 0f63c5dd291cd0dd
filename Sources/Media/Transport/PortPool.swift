import Synchronization

/// Hands out UDP ports for per-call media sockets from a configured range, one lease per call.
///
/// Ports are handed out round-robin, so a port just released is the last to be reused: late
/// packets meant for an ended call do not reach the next one. Exhaustion is a typed error
/// (``TransportError/portsExhausted(range:inUseElsewhere:)``) the caller answers by refusing the
/// call; a port some other process has bound is skipped (see ``lease(bindingWith:)``).
///
/// Threading: every method may be called from any thread; the state sits in a `Mutex`.
public final class PortPool: Sendable {
    /// The ports this pool may hand out.
    public let range: ClosedRange<UInt16>

    private struct State {
        var leased: [Bool]
        var leasedCount = 0
        var cursor = 0
    }

    private let state: Mutex<State>

    /// Creates a pool over `range` (both ends included).
    ///
    /// - Throws: ``TransportError/invalidPortRange(lowerBound:upperBound:)`` when the range is
    ///   empty or leaves 1...65535.
    public init(range: ClosedRange<Int>) throws(TransportError) {
        guard range.lowerBound >= 1, range.upperBound <= 65535 else {
            throw .invalidPortRange(lowerBound: range.lowerBound, upperBound: range.upperBound)
        }
        self.range = UInt16(range.lowerBound)...UInt16(range.upperBound)
        state = Mutex(State(leased: Array(repeating: false, count: range.count)))
    }

    /// Number of ports in the range.
    public var capacity: Int { range.count }

    /// Number of ports currently leased.
    public var leasedCount: Int { state.withLock { $0.leasedCount } }

    /// Leases the next free port (round-robin). No socket is bound; see ``lease(bindingWith:)``.
    ///
    /// - Returns: a lease whose ``PortLease/release()`` (or deinit) returns the port.
    /// - Throws: ``TransportError/portsExhausted(range:inUseElsewhere:)`` when every port is leased.
    public func lease() throws(TransportError) -> PortLease {
        guard let port = takeNext() else { throw .portsExhausted(range: range, inUseElsewhere: 0) }
        return PortLease(port: port, pool: self)
    }

    /// Leases a port and binds a resource to it, skipping ports another process holds.
    ///
    /// `bind` is called with candidate ports until it succeeds. When it throws
    /// ``TransportError/portInUse(_:)`` that port goes back to the pool and the next is tried,
    /// each free port at most once; any other error is rethrown at once.
    ///
    /// - Parameter bind: creates the resource (normally a bound socket) on the given port.
    /// - Returns: the lease and what `bind` made; release the lease when the resource is closed.
    /// - Throws: ``TransportError/portsExhausted(range:inUseElsewhere:)`` when no port could be
    ///   bound, or the first error of `bind` other than `portInUse`.
    public func lease<Resource>(
        bindingWith bind: (UInt16) throws(TransportError) -> Resource
    ) throws(TransportError) -> (lease: PortLease, resource: Resource) {
        var inUseElsewhere = 0
        let attempts = state.withLock { $0.leased.count - $0.leasedCount }
        for _ in 0..<attempts {
            guard let port = takeNext() else { break }
            let lease = PortLease(port: port, pool: self)
            do {
                return (lease, try bind(port))
            } catch .portInUse {
                lease.release()
                inUseElsewhere += 1
            } catch {
                lease.release()
                throw error
            }
        }
        throw .portsExhausted(range: range, inUseElsewhere: inUseElsewhere)
    }

    /// Runs `body` with a leased port and releases it afterwards, whether `body` throws or not.
    ///
    /// - Throws: ``TransportError/portsExhausted(range:inUseElsewhere:)``, or what `body` throws.
    public func withPort<Result>(_ body: (PortLease) throws -> Result) throws -> Result {
        let lease = try lease()
        defer { lease.release() }
        return try body(lease)
    }

    /// Async form of the scoped lease above: the lease is released when `body` returns, throws or
    /// is cancelled.
    public func withPort<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PortLease) async throws -> Result
    ) async throws -> Result {
        let lease = try lease()
        defer { lease.release() }
        return try await body(lease)
    }

    private func takeNext() -> UInt16? {
        state.withLock { state in
            let count = state.leased.count
            guard state.leasedCount < count else { return nil }
            for step in 0..<count {
                let index = (state.cursor + step) % count
                if !state.leased[index] {
                    state.leased[index] = true
                    state.leasedCount += 1
                    state.cursor = (index + 1) % count
                    return range.lowerBound + UInt16(index)
                }
            }
            return nil
        }
    }

    /// Called once per lease by ``PortLease``.
    func giveBack(_ port: UInt16) {
        state.withLock { state in
            let index = Int(port - range.lowerBound)
            precondition(state.leased[index], "port \(port) released twice or never leased")
            state.leased[index] = false
            state.leasedCount -= 1
        }
    }
}
