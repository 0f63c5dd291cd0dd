import Dispatch
import Foundation
import Glibc
import LoopbackWebSocketServer
import Synchronization

/// One `/ari/events` WebSocket: a reader thread (pings, close) and a writer thread that sends
/// queued events under Asterisk's `websocket_write_timeout`.
///
/// Every frame goes through the writer's queue, so events keep their order and the switchboard
/// never blocks on a socket. The socket has `SO_SNDTIMEO` of the write timeout and a modest
/// `SO_SNDBUF`: a consumer that does not read for that long makes a send fail, and the socket is
/// closed with status 1011 as `res_http_websocket.c` does. The descriptor is closed in `deinit`,
/// after both threads let go, so neither can write to a reused descriptor.
final class EventSocket: Sendable {
    /// The apps named in `app=` when it connected.
    let apps: [String]
    let identifier: Int
    private let fd: Int32
    private let queue = Mutex<Queue>(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
    private let closed = Atomic<Bool>(false)
    private let onClose: @Sendable (EventSocket, _ slow: Bool) -> Void

    struct Queue {
        var frames: [[UInt8]] = []
        var finishing = false
    }

    init(fd: Int32, identifier: Int, apps: [String], writeTimeout: Duration, sendBufferSize: Int,
         onClose: @escaping @Sendable (EventSocket, Bool) -> Void) {
        self.fd = fd
        self.identifier = identifier
        self.apps = apps
        self.onClose = onClose
        let milliseconds = Int(writeTimeout.components.seconds * 1000 + writeTimeout.components.attoseconds / 1_000_000_000_000_000)
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size = Int32(sendBufferSize)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { Glibc.close(fd) }

    /// Whether the socket is gone (closed by either side).
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Starts the writer thread and runs the reader on the calling thread until the socket ends.
    func run() {
        let writer = Thread { [self] in writeLoop() }
        writer.name = "asterisk-sim-events-out"
        writer.start()
        readLoop()
    }

    /// Queues one TEXT frame (an event); dropped once the socket is closing.
    func send(text: String) {
        enqueue(Frame.encode(opcode: 0x1, final: true, payload: Array(text.utf8)))
    }

    /// Drops the TCP connection without a CLOSE frame, as a network failure or a crash would.
    func kill() { finish(slow: false) }

    /// Closes the socket from the server side with a CLOSE frame.
    func close(code: UInt16) {
        enqueue(Frame.encode(opcode: 0x8, final: true, payload: [UInt8(code >> 8), UInt8(code & 0xFF)]), finishing: true)
    }

    private func enqueue(_ frame: [UInt8], finishing: Bool = false) {
        let accepted = queue.withLock { queue in
            guard !queue.finishing else { return false }
            queue.frames.append(frame)
            queue.finishing = finishing
            return true
        }
        if accepted { wakeup.signal() }
    }

    private func writeLoop() {
        while true {
            wakeup.wait()
            let (frames, finishing) = queue.withLock { queue in
                defer { queue.frames = [] }
                return (queue.frames, queue.finishing)
            }
            for frame in frames where !Socket.write(fd, frame) {
                // The consumer did not take the frame within the write timeout.
                var quick = timeval(tv_sec: 0, tv_usec: 1000)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &quick, socklen_t(MemoryLayout<timeval>.size))
                Socket.write(fd, Frame.encode(opcode: 0x8, final: true, payload: [0x03, 0xF3]))
                finish(slow: true)
                return
            }
            if finishing || isClosed {
                finish(slow: false)
                return
            }
        }
    }

    private func readLoop() {
        while let frame = Frame.read(fd) {
            switch frame.opcode {
            case 0x9: enqueue(Frame.encode(opcode: 0xA, final: true, payload: frame.payload))
            case 0x8:
                // The writer echoes the CLOSE, then shuts the socket down.
                enqueue(Frame.encode(opcode: 0x8, final: true, payload: Array(frame.payload.prefix(2))), finishing: true)
                return
            default: break
            }
            if isClosed { return }
        }
        finish(slow: false)
    }

    private func finish(slow: Bool) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.withLock { $0.finishing = true }
        wakeup.signal()
        shutdown(fd, Int32(SHUT_RDWR))
        onClose(self, slow)
    }
}
