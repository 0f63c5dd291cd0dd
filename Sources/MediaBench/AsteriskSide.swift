import CMediaSockets
import Glibc
import Media
import Synchronization

/// Plays Asterisk for the benchmark: one UDP socket that receives every call's RTP, counts it
/// per SSRC, and echoes each packet back to where it came from (as chan_rtp streams to
/// `external_host`). Its own thread; its CPU time is measured separately from ura's.
final class AsteriskSide: @unchecked Sendable {
    // @unchecked: `received` and `cpuNanoseconds` are written only by the receive thread and read
    // after `stop()` has joined it; `stopRequested` is atomic.
    let address: SocketAddress
    private let descriptor: Int32
    private let echo: Bool
    private let stopRequested = Atomic(false)
    private var thread = pthread_t()
    private(set) var received: [UInt32: UInt64] = [:]
    private(set) var echoErrors: UInt64 = 0
    private(set) var cpuNanoseconds: UInt64 = 0

    init(echo: Bool) throws {
        self.echo = echo
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.descriptor = descriptor
        var size: Int32 = 32 << 20
        // SO_RCVBUFFORCE passes rmem_max when root; 1000 calls send ~1000 datagrams in a burst each tick.
        if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, 4) != 0 {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, 4)
        }
        setsockopt(descriptor, SOL_SOCKET, SO_SNDBUFFORCE, &size, 4)
        let local = try SocketAddress(ip: "127.0.0.1", port: 0)
        guard local.withSockAddr({ bind(descriptor, $0, $1) }) == 0 else {
            throw TransportError.system(call: "bind", errno: errno)
        }
        var storage = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        address = SocketAddress(host: .v4(storage.sin_addr.s_addr), port: UInt16(bigEndian: storage.sin_port))
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let side = Unmanaged<AsteriskSide>.fromOpaque(raw!).takeRetainedValue()
            side.run()
            return nil
        }, box)
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
        pthread_join(thread, nil)
        Glibc.close(descriptor)
    }

    private func run() {
        cms_thread_set_name("asterisk-sim")
        let batch = cms_recv_batch_create(64, 2048)!
        defer { cms_recv_batch_destroy(batch) }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !stopRequested.load(ordering: .acquiring) {
            guard poll(&poller, 1, 50) > 0 else { continue }
            while true {
                let count = cms_recv_batch_read(descriptor, batch)
                guard count > 0 else { break }
                for index in 0..<UInt32(count) {
                    let bytes = cms_recv_batch_bytes(batch, index)!
                    let length = Int(cms_recv_batch_length(batch, index))
                    guard length >= 12 else { continue }
                    let ssrc = UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
                    received[ssrc, default: 0] += 1
                    if echo {
                        var sourceLength = socklen_t(0)
                        let source = cms_recv_batch_source(batch, index, &sourceLength)
                        if sendto(descriptor, bytes, length, 0, source, sourceLength) != length { echoErrors += 1 }
                    }
                }
            }
        }
        var usage = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &usage)
        cpuNanoseconds = UInt64(usage.tv_sec) * 1_000_000_000 + UInt64(usage.tv_nsec)
    }
}
