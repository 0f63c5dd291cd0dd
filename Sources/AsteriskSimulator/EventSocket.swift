import NIOCore
import NIOWebSocket
import Synchronization

/// One `/ari/events` WebSocket: reads pings and CLOSE, and writes queued events under
/// Asterisk's `websocket_write_timeout`.
///
/// Every frame goes through one queue, so events keep their order and the switchboard never
/// waits on a socket. The socket's send buffer is modest and each frame must reach the kernel
/// within the write timeout: a consumer that does not read for that long makes a write miss it,
/// and the socket is closed with status 1011 as `res_http_websocket.c` does.
final class EventSocket: Sendable {
    /// The apps named in `app=` when it connected.
    let apps: [String]
    let identifier: Int
    private let channel: any Channel
    private let writeTimeout: Duration
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let queue: AsyncStream<Outgoing>
    private let closed = Atomic<Bool>(false)
    private let onClose: @Sendable (EventSocket, _ slow: Bool) -> Void

    private enum Outgoing {
        case frame(WebSocketFrame)
        /// The last frame: after it the socket closes.
        case finalFrame(WebSocketFrame)
    }

    init(channel: any Channel, identifier: Int, apps: [String], writeTimeout: Duration, onClose: @escaping @Sendable (EventSocket, Bool) -> Void) {
        self.channel = channel
        self.identifier = identifier
        self.apps = apps
        self.writeTimeout = writeTimeout
        self.onClose = onClose
        (queue, outgoing) = AsyncStream<Outgoing>.makeStream()
    }

    /// Whether the socket is gone (closed by either side).
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Writes queued frames and reads the client's until the socket ends.
    func run(_ frames: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, sendBufferSize: Int) async {
        try? await channel.setOption(ChannelOptions.socketOption(.so_sndbuf), value: sendBufferSize)
        try? await frames.executeThenClose { inbound, _ in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.writeLoop() }
                do {
                    for try await frame in inbound {
                        switch frame.opcode {
                        case .ping: enqueue(.frame(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)))
                        case .connectionClose:
                            // The CLOSE goes back with the client's code, then the socket shuts.
                            let code = frame.unmaskedData.getSlice(at: frame.unmaskedData.readerIndex, length: min(2, frame.unmaskedData.readableBytes))
                            enqueue(.finalFrame(WebSocketFrame(fin: true, opcode: .connectionClose, data: code ?? ByteBuffer())))
                            await group.next()
                            return
                        default: break
                        }
                        if isClosed { break }
                    }
                } catch {}
                finish(slow: false)
                await group.next()
            }
        }
    }

    /// Queues one TEXT frame (an event); dropped once the socket is closing.
    func send(text: String) {
        enqueue(.frame(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))))
    }

    /// Drops the TCP connection without a CLOSE frame, as a network failure or a crash would.
    func kill() { finish(slow: false) }

    /// Closes the socket from the server side with a CLOSE frame.
    func close(code: UInt16) {
        var payload = ByteBuffer()
        payload.writeInteger(code)
        enqueue(.finalFrame(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
    }

    private func enqueue(_ item: Outgoing) {
        guard !isClosed else { return }
        outgoing.yield(item)
        if case .finalFrame = item { outgoing.finish() }
    }

    private func writeLoop() async {
        for await item in queue {
            switch item {
            case .frame(let frame):
                switch await write(frame) {
                case .written: continue
                case .failed: finish(slow: false)
                case .timedOut:
                    // The consumer did not take the frame within the write timeout.
                    var code = ByteBuffer()
                    code.writeInteger(UInt16(1011))
                    channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: code), promise: nil)
                    finish(slow: true)
                }
                return
            case .finalFrame(let frame):
                _ = await write(frame)
                finish(slow: false)
                return
            }
        }
        finish(slow: false)
    }

    private enum WriteOutcome { case written, failed, timedOut }

    private func write(_ frame: WebSocketFrame) async -> WriteOutcome {
        guard !isClosed else { return .failed }
        let loop = channel.eventLoop
        let outcome = loop.makePromise(of: WriteOutcome.self)
        let nanoseconds = writeTimeout.components.seconds * 1_000_000_000 + writeTimeout.components.attoseconds / 1_000_000_000
        let channel = channel
        loop.execute {
            // Both the write and the timer complete on the event loop; the first one decides.
            let decided = NIOLoopBoundBox(false, eventLoop: loop)
            let timer = loop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                guard !decided.value else { return }
                decided.value = true
                outcome.succeed(.timedOut)
            }
            channel.writeAndFlush(frame).whenComplete { result in
                timer.cancel()
                guard !decided.value else { return }
                decided.value = true
                if case .success = result { outcome.succeed(.written) } else { outcome.succeed(.failed) }
            }
        }
        return (try? await outcome.futureResult.get()) ?? .failed
    }

    private func finish(slow: Bool) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        outgoing.finish()
        channel.close(promise: nil)
        onClose(self, slow)
    }
}
