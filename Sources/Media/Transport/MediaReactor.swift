import CMediaSockets
import Glibc
import Synchronization

/// The one receive thread for the media sockets of all calls: an epoll loop that reads every
/// registered ``MediaSocket`` and hands each datagram to that socket's handler.
///
/// A thread per call would put 1000 threads on a 2-core host; one epoll loop with non-blocking
/// sockets and `recvmmsg` batches serves them all. Handlers run synchronously on the reactor
/// thread and must be quick (parse, insert into a jitter buffer under a lock, return): a slow
/// handler delays every call.
///
/// Threading: ``register(_:handler:)``, ``start()`` and ``stop()`` may be called from any
/// thread. `epoll_ctl` is thread-safe and a blocked `epoll_wait` sees a newly added descriptor
/// at once, so registering needs no wake-up; the eventfd wakes the loop to stop it.
/// Unregistering is ``MediaSocket/close()``.
///
/// Lifecycle: `init` creates the epoll and eventfd descriptors; ``start()`` starts the thread;
/// ``stop()`` joins it and closes both descriptors. Both are idempotent; a stopped reactor cannot
/// be restarted. The running thread holds the reactor, so an owner must call ``stop()``.
///
/// ```swift
/// let reactor = try MediaReactor()
/// try reactor.start()
/// try reactor.register(socket) { datagram in jitterBuffer.insert(datagram.bytes) }
/// ...
/// socket.close()   // unregisters
/// reactor.stop()
/// ```
public final class MediaReactor: Sendable {
    /// Datagrams read per `recvmmsg` call.
    public let batchSize: Int
    /// Receive buffer per datagram; longer datagrams are dropped and counted as oversize. The
    /// default holds 120 ms of slin16 (3840 payload bytes), the largest packet a phone sends.
    public let maxDatagramSize: Int
    /// `recvmmsg` calls per socket per wakeup, so one flooded socket cannot starve the others
    /// (epoll is level-triggered: what is left is read on the next round).
    public let readsPerWakeup: Int

    private enum Phase {
        case idle, running, stopped
    }

    private struct State {
        var phase = Phase.idle
        var registrations: [UInt64: ReactorRegistration] = [:]
        var nextToken: UInt64 = 1
        var thread: JoinableThread?
    }

    private let epoll: Int32
    private let wake: Int32
    private let state = Mutex(State())
    private let stopRequested = Atomic(false)
    private let loopThreadID = Atomic<UInt>(0)

    /// The epoll token of the eventfd; socket tokens start at 1.
    private static let wakeToken: UInt64 = 0

    /// Creates the reactor's descriptors; call ``start()`` to start reading.
    ///
    /// - Parameters:
    ///   - batchSize: datagrams per `recvmmsg` call.
    ///   - maxDatagramSize: largest datagram accepted (RTP of a 20 ms slin16 frame is 652 bytes).
    ///   - readsPerWakeup: `recvmmsg` calls per ready socket before moving to the next.
    /// - Throws: ``TransportError/system(call:errno:)`` when epoll or eventfd cannot be created.
    public init(batchSize: Int = 16, maxDatagramSize: Int = 4096, readsPerWakeup: Int = 4) throws(TransportError) {
        precondition(batchSize > 0 && maxDatagramSize > 0 && readsPerWakeup > 0,
                     "MediaReactor needs positive sizes, got batchSize \(batchSize) maxDatagramSize \(maxDatagramSize) readsPerWakeup \(readsPerWakeup)")
        self.batchSize = batchSize
        self.maxDatagramSize = maxDatagramSize
        self.readsPerWakeup = readsPerWakeup
        let epoll = cms_epoll_create()
        guard epoll >= 0 else { throw .system(call: "epoll_create1", errno: -epoll) }
        let wake = cms_eventfd_create()
        guard wake >= 0 else {
            Glibc.close(epoll)
            throw .system(call: "eventfd", errno: -wake)
        }
        let added = cms_epoll_add(epoll, wake, Self.wakeToken)
        guard added == 0 else {
            Glibc.close(epoll)
            Glibc.close(wake)
            throw .system(call: "epoll_ctl(ADD eventfd)", errno: -added)
        }
        self.epoll = epoll
        self.wake = wake
    }

    /// Number of sockets currently registered.
    public var registeredCount: Int { state.withLock { $0.registrations.count } }

    /// The epoll and eventfd descriptors (for leak tests).
    var descriptors: [Int32] { [epoll, wake] }

    /// True on the reactor's own thread (where waiting for a dispatch would deadlock).
    var isOnReactorThread: Bool { loopThreadID.load(ordering: .acquiring) == pthread_self() }

    /// Starts the receive thread. Idempotent while running.
    ///
    /// - Throws: ``TransportError/closed`` after ``stop()``; ``TransportError/system(call:errno:)``
    ///   when the thread cannot be created.
    public func start() throws(TransportError) {
        try state.withLock { state throws(TransportError) in
            switch state.phase {
            case .running: return
            case .stopped: throw .closed
            case .idle:
                let batch = (count: UInt32(batchSize), size: UInt32(maxDatagramSize))
                state.thread = try JoinableThread(name: "ura-media-rx") { [self] in
                    loopThreadID.store(pthread_self(), ordering: .releasing)
                    run(batchCount: batch.count, datagramSize: batch.size)
                }
                state.phase = .running
            }
        }
    }

    /// Stops and joins the receive thread and closes the reactor's descriptors. Idempotent.
    ///
    /// Registered sockets stay open but receive nothing more; close them as usual.
    ///
    /// - Warning: do not call it from a handler (the reactor thread cannot join itself).
    public func stop() {
        let (wasStopped, thread) = state.withLock { state -> (Bool, JoinableThread?) in
            guard state.phase != .stopped else { return (true, nil) }
            state.phase = .stopped
            stopRequested.store(true, ordering: .releasing)
            cms_eventfd_signal(wake)
            return (false, state.thread.take())
        }
        guard !wasStopped else { return }
        thread?.join()
        // Only the call that moved the phase to stopped gets here, after the loop has ended.
        Glibc.close(epoll)
        Glibc.close(wake)
    }

    /// Starts reading `socket`, handing each datagram from its remote to `handler` on the reactor
    /// thread.
    ///
    /// - Parameters:
    ///   - socket: an open socket not registered elsewhere; ``MediaSocket/close()`` unregisters it.
    ///   - handler: called for each accepted datagram; must be quick and must not block.
    /// - Throws: ``TransportError/closed`` when the socket or the reactor is closed,
    ///   ``TransportError/system(call:errno:)`` when epoll refuses the descriptor or the socket
    ///   is already registered.
    public func register(_ socket: MediaSocket, handler: @escaping @Sendable (ReceivedDatagram) -> Void) throws(TransportError) {
        try socket.attach { descriptor throws(TransportError) in
            try state.withLock { state throws(TransportError) in
                guard state.phase != .stopped else { throw .closed }
                let token = state.nextToken
                state.nextToken += 1
                let registration = ReactorRegistration(
                    token: token, descriptor: descriptor, socket: socket, reactor: self, handler: handler)
                // The table entry exists before epoll can report the descriptor ready.
                state.registrations[token] = registration
                let added = cms_epoll_add(epoll, descriptor, token)
                guard added == 0 else {
                    state.registrations[token] = nil
                    throw .system(call: "epoll_ctl(ADD)", errno: -added)
                }
                return registration
            }
        }
    }

    /// Called by ``ReactorRegistration/cancel()``: forget the socket and take it out of epoll
    /// while its descriptor is still open.
    func remove(_ registration: ReactorRegistration) {
        state.withLock { state in
            state.registrations[registration.token] = nil
            if state.phase != .stopped {
                _ = cms_epoll_remove(epoll, registration.descriptor)
            }
        }
    }

    private func run(batchCount: UInt32, datagramSize: UInt32) {
        guard let batch = cms_recv_batch_create(batchCount, datagramSize) else {
            fatalError("MediaReactor: cannot allocate \(batchCount) receive buffers of \(datagramSize) bytes")
        }
        defer { cms_recv_batch_destroy(batch) }
        let capacity = 256
        var tokens = [UInt64](repeating: 0, count: capacity)
        var events = [UInt32](repeating: 0, count: capacity)
        while !stopRequested.load(ordering: .acquiring) {
            let ready = cms_epoll_wait(epoll, &tokens, &events, Int32(capacity), -1)
            guard ready >= 0 else {
                if ready == -EINTR { continue }
                fatalError("MediaReactor: epoll_wait failed with errno \(-ready)")
            }
            for index in 0..<Int(ready) {
                let token = tokens[index]
                if token == Self.wakeToken {
                    cms_eventfd_drain(wake)
                    continue
                }
                let registration = state.withLock { $0.registrations[token] }
                registration?.dispatch(batch: batch, batchSize: batchSize, maxReads: readsPerWakeup)
            }
        }
    }

    deinit { stop() }
}
