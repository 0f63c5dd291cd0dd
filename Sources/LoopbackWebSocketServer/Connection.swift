import Foundation
import Glibc
import Synchronization

extension LoopbackWebSocketServer {
    /// One accepted WebSocket connection, seen from the server.
    public final class Connection: Sendable {
        private let fd: Int32
        private let answersPings: Bool
        private let writeLock = Mutex(())
        private let record = Mutex(Record())
        private let closed = Atomic<Bool>(false)

        struct Record {
            var texts: [String] = []
            var pings = 0
            var closeCode: UInt16?
        }

        init(fd: Int32, answersPings: Bool) {
            self.fd = fd
            self.answersPings = answersPings
        }

        /// TEXT messages received from the client.
        public var receivedTexts: [String] { record.withLock { $0.texts } }
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
            let size = (payload.count + pieces - 1) / max(pieces, 1)
            var frames: [UInt8] = []
            for index in 0..<pieces {
                let chunk = Array(payload[min(index * size, payload.count)..<min((index + 1) * size, payload.count)])
                frames += Frame.encode(opcode: index == 0 ? 0x1 : 0x0, final: index == pieces - 1, payload: chunk)
            }
            return write(frames)
        }

        /// Sends many TEXT messages in one write burst.
        @discardableResult
        public func send(texts: [String]) -> Bool {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count + 10 })
            for text in texts { bytes += Frame.encode(opcode: 0x1, final: true, payload: Array(text.utf8)) }
            return write(bytes)
        }

        /// Sends a CLOSE frame with `code`, then closes the socket.
        public func close(code: UInt16 = 1000) {
            write(Frame.encode(opcode: 0x8, final: true, payload: [UInt8(code >> 8), UInt8(code & 0xFF)]))
            kill()
        }

        /// Drops the TCP connection without a CLOSE frame (a crashed or killed server).
        public func kill() {
            guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
            shutdown(fd, Int32(SHUT_RDWR))
        }

        @discardableResult
        private func write(_ bytes: [UInt8]) -> Bool {
            guard !isClosed else { return false }
            return writeLock.withLock { _ in Socket.write(fd, bytes) }
        }

        func readLoop() {
            defer {
                closed.store(true, ordering: .releasing)
                Glibc.close(fd)
            }
            var message: [UInt8] = []
            while let frame = Frame.read(fd) {
                switch frame.opcode {
                case 0x9:
                    record.withLock { $0.pings += 1 }
                    if answersPings { write(Frame.encode(opcode: 0xA, final: true, payload: frame.payload)) }
                case 0x8:
                    let code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : 1005
                    record.withLock { $0.closeCode = code }
                    write(Frame.encode(opcode: 0x8, final: true, payload: Array(frame.payload.prefix(2))))
                    return
                case 0x1, 0x0:
                    message += frame.payload
                    if frame.final {
                        let text = String(decoding: message, as: UTF8.self)
                        record.withLock { $0.texts.append(text) }
                        message = []
                    }
                default:
                    break
                }
                if isClosed { return }
            }
        }
    }
}

/// RFC 6455 framing: the server sends unmasked frames and unmasks the client's.
package enum Frame {
    package struct Decoded {
        package var opcode: UInt8
        package var final: Bool
        package var payload: [UInt8]
    }

    package static func encode(opcode: UInt8, final: Bool, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [(final ? 0x80 : 0) | opcode]
        switch payload.count {
        case 0..<126: bytes.append(UInt8(payload.count))
        case 126..<65536: bytes += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes.append(127); bytes += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> UInt64(56 - $0 * 8)) }
        }
        return bytes + payload
    }

    package static func read(_ fd: Int32) -> Decoded? {
        guard let head = Socket.read(fd, count: 2) else { return nil }
        var length = UInt64(head[1] & 0x7F)
        if length == 126 {
            guard let extended = Socket.read(fd, count: 2) else { return nil }
            length = UInt64(extended[0]) << 8 | UInt64(extended[1])
        } else if length == 127 {
            guard let extended = Socket.read(fd, count: 8) else { return nil }
            length = extended.reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard length < 16 << 20 else { return nil }
        let masked = head[1] & 0x80 != 0
        let mask = masked ? Socket.read(fd, count: 4) : [0, 0, 0, 0]
        guard let mask, var payload = Socket.read(fd, count: Int(length)) else { return nil }
        if masked { for index in payload.indices { payload[index] ^= mask[index % 4] } }
        return Decoded(opcode: head[0] & 0x0F, final: head[0] & 0x80 != 0, payload: payload)
    }
}
