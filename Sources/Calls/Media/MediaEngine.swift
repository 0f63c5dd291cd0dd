import Logging
import Media

/// The media machinery every call shares: the port pool, the receive thread and the clock.
///
/// One per process. ``start()`` before the first call, ``stop()`` after the last one: it joins
/// the clock and receive threads.
public final class MediaEngine: Sendable {
    public let ports: PortPool
    public let reactor: MediaReactor
    public let clock: PacerClock
    public let pacer: Pacer
    /// Where per-call sockets bind.
    public let bindAddress: String

    /// - Parameters:
    ///   - bindAddress: IPv4/IPv6 literal the call sockets bind to.
    ///   - ports: the RTP port range, one port per concurrent call.
    ///   - realtimePriority: SCHED_FIFO priority for the clock thread when the process may use it.
    public init(bindAddress: String, ports: ClosedRange<Int>, realtimePriority: Int32? = 10) throws(TransportError) {
        self.bindAddress = bindAddress
        self.ports = try PortPool(range: ports)
        reactor = try MediaReactor()
        clock = PacerClock(realtimePriority: realtimePriority)
        pacer = Pacer(clock: clock)
    }

    public func start() throws(TransportError) {
        try reactor.start()
        try clock.start()
    }

    public func stop() {
        pacer.close()
        clock.stop()
        reactor.stop()
    }
}
