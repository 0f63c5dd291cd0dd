import CMediaSockets
import Glibc
import Synchronization

/// The UDP socket of one call's externalMedia stream: bound to a pool port, talking to exactly
/// one remote.
///
/// ura gives Asterisk `external_host = <advertised address>:<port>`; Asterisk answers with
/// `UNICASTRTP_LOCAL_ADDRESS`/`UNICASTRTP_LOCAL_PORT`, which goes to ``setRemote(_:)``. From then
/// on ``send(_:)`` sends there from this very socket (Asterisk's strict RTP only accepts the
/// address it was given), and only datagrams from that remote reach the handler: anything else
/// is dropped and counted, so nobody can inject audio into a call. Datagrams that arrive before
/// the remote is known are dropped and counted too.
///
/// Receiving happens on a ``MediaReactor`` (``MediaReactor/register(_:handler:)``); this type has
/// no thread of its own.
///
/// Threading: every method may be called from any thread. ``send(_:)`` runs on the pacer thread
/// and takes a short per-socket lock around `sendto`, which keeps ``close()`` from freeing the
/// descriptor (and letting the kernel reuse its number) in the middle of a send.
///
/// Lifecycle: ``close()`` is idempotent; it stops reception (waiting for a handler call in
/// progress on another thread), closes the descriptor and returns the port to its pool. `deinit`
/// closes as a last resort.
public final class MediaSocket: Sendable {
    /// The bound address, with the real port.
    public let localAddress: SocketAddress
    /// Packet counters of this socket.
    public let counters = MediaSocketCounters()

    private struct State {
        var descriptor: Int32
        /// The remote in IPv4 form when it is IPv4 (what the source filter compares with).
        var remote: SocketAddress?
        /// The remote as `sendto` needs it for this socket's family.
        var sendTarget: SocketAddress?
        var lease: PortLease?
        var registration: ReactorRegistration?
    }

    private let state: Mutex<State>

    private init(descriptor: Int32, localAddress: SocketAddress, lease: PortLease?) {
        self.localAddress = localAddress
        state = Mutex(State(descriptor: descriptor, lease: lease))
    }

    /// Opens a socket on `bindAddress` with the next bindable port of `pool`.
    ///
    /// Ports bound by other processes are skipped; the lease is released by ``close()``.
    ///
    /// - Parameters:
    ///   - bindAddress: an IPv4 or IPv6 literal; `"0.0.0.0"` or `"::"` (dual stack) for all interfaces.
    ///   - pool: where the port comes from.
    /// - Throws: ``TransportError/portsExhausted(range:inUseElsewhere:)`` (refuse the call),
    ///   ``TransportError/invalidAddress(_:)``, or ``TransportError/system(call:errno:)``.
    public static func open(bindAddress: String, pool: PortPool) throws(TransportError) -> MediaSocket {
        let host = try SocketAddress(ip: bindAddress, port: 0).host
        let (lease, bound) = try pool.lease { port throws(TransportError) in
            try bind(SocketAddress(host: host, port: port))
        }
        return MediaSocket(descriptor: bound.descriptor, localAddress: bound.address, lease: lease)
    }

    /// Opens a socket on a fixed address without a pool (port 0 picks an ephemeral port).
    ///
    /// - Throws: ``TransportError/portInUse(_:)`` or ``TransportError/system(call:errno:)``.
    public convenience init(bindingTo address: SocketAddress) throws(TransportError) {
        let bound = try Self.bind(address)
        self.init(descriptor: bound.descriptor, localAddress: bound.address, lease: nil)
    }

    /// The local port (what `external_host` carries).
    public var port: UInt16 { localAddress.port }

    /// The remote set by ``setRemote(_:)``, in IPv4 form when it is IPv4.
    public var remote: SocketAddress? { state.withLock { $0.remote } }

    /// The socket's descriptor, -1 once closed (for leak tests).
    var descriptor: Int32 { state.withLock { $0.descriptor } }

    /// Whether ``close()`` has run.
    public var isClosed: Bool { state.withLock { $0.descriptor < 0 } }

    /// Sets the only address datagrams are accepted from and sent to (Asterisk's
    /// `UNICASTRTP_LOCAL_ADDRESS`:`UNICASTRTP_LOCAL_PORT`).
    ///
    /// - Throws: ``TransportError/addressFamilyMismatch(local:remote:)`` for an IPv6 remote on an
    ///   IPv4 socket, ``TransportError/closed`` after ``close()``.
    public func setRemote(_ remote: SocketAddress) throws(TransportError) {
        let remote = remote.unmapped
        let target: SocketAddress
        switch (localAddress.family, remote.family) {
        case (AF_INET, AF_INET), (AF_INET6, AF_INET6): target = remote
        case (AF_INET6, AF_INET): target = remote.mappedToIPv6
        default: throw .addressFamilyMismatch(local: localAddress, remote: remote)
        }
        try state.withLock { state throws(TransportError) in
            guard state.descriptor >= 0 else { throw .closed }
            state.remote = remote
            state.sendTarget = target
        }
    }

    /// The source of the first datagram waiting on this socket, without taking it (the datagram
    /// stays for the reactor), or nil when none came within `milliseconds`.
    ///
    /// For a peer nobody announces: an external RTP generator playing Asterisk's part
    /// (`scripts/bench media serve`). Calls learn their remote from Asterisk instead. Blocks the
    /// calling thread; call it before ``setRemote(_:)``.
    public func firstSource(waitingMilliseconds milliseconds: Int32) -> SocketAddress? {
        let descriptor = state.withLock { $0.descriptor }
        guard descriptor >= 0 else { return nil }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, milliseconds) > 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var byte: UInt8 = 0
        let received = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT), $0, &length) }
        }
        guard received >= 0 else { return nil }
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length) }
        }
    }

    /// Sends one datagram to the remote.
    ///
    /// Never blocks: a full socket buffer, like any other failure, drops the datagram and
    /// counts it in `sendErrors` (late audio is worthless).
    ///
    /// - Returns: whether the kernel accepted the datagram.
    @discardableResult
    public func send(_ datagram: UnsafeRawBufferPointer) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard state.descriptor >= 0, let target = state.sendTarget else { return false }
            let descriptor = state.descriptor
            let written = target.withSockAddr { address, length in
                sendto(descriptor, datagram.baseAddress, datagram.count, Int32(MSG_DONTWAIT), address, length)
            }
            return written == datagram.count
        }
        if accepted { counters.sent.increment() } else { counters.sendErrors.increment() }
        return accepted
    }

    /// Sends one datagram to the remote; see ``send(_:)-(UnsafeRawBufferPointer)``.
    @discardableResult
    public func send(_ datagram: [UInt8]) -> Bool {
        datagram.withUnsafeBytes { send($0) }
    }

    /// Stops reception, closes the descriptor and releases the port. Idempotent.
    ///
    /// When called off the reactor thread, waits for a handler call in progress for this socket,
    /// so after `close()` returns the handler is not called again.
    ///
    /// - Warning: do not call it while holding a lock the handler takes: that deadlocks.
    public func close() {
        let registration = state.withLock { state in
            defer { state.registration = nil }
            return state.registration
        }
        registration?.cancel()
        state.withLock { state in
            if state.descriptor >= 0 {
                Glibc.close(state.descriptor)
                state.descriptor = -1
            }
            state.lease?.release()
            state.lease = nil
        }
    }

    deinit { close() }

    // MARK: reactor side

    /// Links this socket to a reactor; `make` gets the descriptor under the socket's lock so a
    /// concurrent ``close()`` cannot free it meanwhile.
    func attach(_ make: (Int32) throws(TransportError) -> ReactorRegistration) throws(TransportError) {
        try state.withLock { state throws(TransportError) in
            guard state.descriptor >= 0 else { throw .closed }
            guard state.registration == nil else { throw .system(call: "epoll_ctl(ADD)", errno: EEXIST) }
            state.registration = try make(state.descriptor)
        }
    }

    /// Reads what is queued (at most `maxReads` batches of `batchSize`) and hands datagrams from
    /// the remote to `handler` while `isRegistered()` holds. Runs on the reactor thread only,
    /// under the registration's dispatch lock, which ``close()`` waits for before it closes the
    /// descriptor; a handler that closes the socket itself ends the drain through `isRegistered`.
    func drain(
        batch: OpaquePointer, batchSize: Int, maxReads: Int, isRegistered: () -> Bool, handler: (ReceivedDatagram) -> Void
    ) {
        let (descriptor, remote) = state.withLock { ($0.descriptor, $0.remote) }
        guard descriptor >= 0 else { return }
        for _ in 0..<maxReads {
            let count = cms_recv_batch_read(descriptor, batch)
            guard count > 0 else {
                if count < 0, count != -EAGAIN, count != -EINTR { clearPendingError(descriptor) }
                return
            }
            let arrival = cms_monotonic_now_ns()
            for index in 0..<UInt32(count) {
                var sourceLength = socklen_t(0)
                let source = cms_recv_batch_source(batch, index, &sourceLength)!
                guard let remote else {
                    counters.droppedBeforeRemote.increment()
                    continue
                }
                guard SocketAddress(source, length: sourceLength)?.unmapped == remote else {
                    counters.droppedForeignSource.increment()
                    continue
                }
                guard cms_recv_batch_truncated(batch, index) == 0 else {
                    counters.oversize.increment()
                    continue
                }
                counters.received.increment()
                let bytes = UnsafeRawBufferPointer(
                    start: cms_recv_batch_bytes(batch, index), count: Int(cms_recv_batch_length(batch, index)))
                handler(ReceivedDatagram(bytes: bytes, arrivalNanoseconds: arrival))
                guard isRegistered() else { return }
            }
            // A short batch emptied the queue: skip the read that would only say EAGAIN (epoll is
            // level-triggered, so anything arriving meanwhile wakes the loop again).
            if Int(count) < batchSize { return }
        }
    }

    /// Reads SO_ERROR so a pending socket error (ICMP) stops waking a level-triggered epoll.
    private func clearPendingError(_ descriptor: Int32) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
    }

    // MARK: binding

    private static func bind(_ address: SocketAddress) throws(TransportError) -> (descriptor: Int32, address: SocketAddress) {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(address.family, type, 0)
        guard descriptor >= 0 else { throw .system(call: "socket", errno: errno) }
        do throws(TransportError) {
            if address.family == AF_INET6, address.isWildcard {
                var off: Int32 = 0
                guard setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                    throw .system(call: "setsockopt(IPV6_V6ONLY)", errno: errno)
                }
            }
            let result = address.withSockAddr { Glibc.bind(descriptor, $0, $1) }
            guard result == 0 else {
                let code = errno
                throw code == EADDRINUSE ? .portInUse(address.port) : .system(call: "bind \(address)", errno: code)
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { throw .system(call: "getsockname", errno: errno) }
            let bound = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length) }
            }
            guard let bound else { throw .system(call: "getsockname", errno: EAFNOSUPPORT) }
            return (descriptor, bound)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }
}
