import NIOCore
import NIOWebSocket
import Synchronization

extension LoopbackWebSocketServer {
    /// One accepted WebSocket connection, seen from the server.
    public final class Connection: Sendable {
        private let channel: any Channel
        private let answersPings: Bool
        private let record = Mutex(Record())
        private let closed = Atomic<Bool>(false)

        struct Record {
            var texts: [String] = []
            var binaryBytes: [UInt8] = []
            var pings = 0
            var closeCode: UInt16?
        }

        init(channel: any Channel, answersPings: Bool) {
            self.channel = channel
            self.answersPings = answersPings
        }

        /// TEXT messages received from the client.
        public var receivedTexts: [String] { record.withLock { $0.texts } }
        /// The bytes of every BINARY message received from the client, in order.
        public var receivedBinary: [UInt8] { record.withLock { $0.binaryBytes } }
        /// PING frames received from the client.
        public var pingsReceived: Int { record.withLock { $0.pings } }
        /// The status code of the client's CLOSE frame, once one came.
        public var clientCloseCode: UInt16? { record.withLock { $0.closeCode } }
        /// Whether the connection is gone.
        public var isClosed: Bool { closed.load(ordering: .acquiring) }

        /// Sends a TEXT message, split into `fragments` frames (continuation frames after the first).
        @discardableResult
        public func send(text: String, fragments: Int = 1) -> Bool {
            let payload = Array(text.utf8)
            let pieces = max(1, min(fragments, max(payload.count, 1)))
            let size = (payload.count + pieces - 1) / pieces
            var frames: [WebSocketFrame] = []
            for index in 0..<pieces {
                let chunk = payload[min(index * size, payload.count)..<min((index + 1) * size, payload.count)]
                frames.append(WebSocketFrame(fin: index == pieces - 1, opcode: index == 0 ? .text : .continuation, data: ByteBuffer(bytes: chunk)))
            }
            return write(frames)
        }

        /// Sends many TEXT messages in one write burst.
        @discardableResult
        public func send(texts: [String]) -> Bool {
            write(texts.map { WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: $0)) })
        }

        /// Sends a CLOSE frame with `code`, then closes the connection.
        public func close(code: UInt16 = 1000) {
            var payload = ByteBuffer()
            payload.writeInteger(code)
            write([WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)])
            kill()
        }

        /// Drops the TCP connection without a CLOSE frame (a crashed or killed server).
        public func kill() {
            guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
            channel.close(promise: nil)
        }

        @discardableResult
        private func write(_ frames: [WebSocketFrame]) -> Bool {
            guard !isClosed else { return false }
            // Writes from any thread reach the event loop in the order they were made.
            for frame in frames { channel.write(frame, promise: nil) }
            channel.flush()
            return true
        }

        func serve(_ frames: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async {
            defer { kill() }
            do {
                for try await frame in frames.inbound {
                    switch frame.opcode {
                    case .ping:
                        record.withLock { $0.pings += 1 }
                        if answersPings { write([WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)]) }
                    case .connectionClose:
                        // The CLOSE goes back with the client's code, or none if it gave none.
                        let echo = frame.unmaskedData.getSlice(at: frame.unmaskedData.readerIndex, length: min(2, frame.unmaskedData.readableBytes)) ?? ByteBuffer()
                        var code = echo
                        record.withLock { $0.closeCode = code.readInteger(as: UInt16.self) ?? 1005 }
                        write([WebSocketFrame(fin: true, opcode: .connectionClose, data: echo)])
                        return
                    case .text:
                        let text = String(buffer: frame.unmaskedData)
                        record.withLock { $0.texts.append(text) }
                    case .binary:
                        let bytes = Array(buffer: frame.unmaskedData)
                        record.withLock { $0.binaryBytes += bytes }
                    default:
                        break
                    }
                    if isClosed { return }
                }
            } catch {}
        }
    }
}
