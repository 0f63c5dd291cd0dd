import Foundation
import Glibc

/// A hand-made WebSocket client for the events socket, for what ura's client would never do:
/// stop reading, or send frames on demand.
final class RawEventSocket {
    let fd: Int32

    /// Connects and completes the handshake; `receiveBuffer` shrinks `SO_RCVBUF` first.
    init?(port: Int, path: String, receiveBuffer: Int32? = nil) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = Array(request.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { return nil }
            head.append(byte)
        }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { return nil }
    }

    deinit { close(fd) }

    /// Sends `bytes` on a new connection and waits up to `milliseconds` for the server to close
    /// it; true when it did.
    static func closesAfter(sending bytes: [UInt8], port: Int, milliseconds: Int32 = 5000) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        let deadline = ContinuousClock.now + .milliseconds(Int(milliseconds))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return false }
            guard poller.revents != 0 else { continue }
            // An answer (a 400) may come first; the end of the stream is what counts.
            if buffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) <= 0 { return true }
        }
        return false
    }

    /// Sends a masked frame.
    func send(opcode: UInt8, payload: [UInt8]) {
        let mask: [UInt8] = [1, 2, 3, 4]
        let frame = [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
        _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Reads frames until one with `opcode` arrives (nil on close or after `milliseconds`).
    func read(opcode wanted: UInt8, milliseconds: Int32 = 2000) -> [UInt8]? {
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) > 0, let head = readExactly(2) else { return nil }
            var length = Int(head[1] & 0x7F)
            if length == 126 { guard let extended = readExactly(2) else { return nil }; length = Int(extended[0]) << 8 | Int(extended[1]) }
            guard length < 126 || length < 65536, let payload = readExactly(length) else { return nil }
            if head[0] & 0x0F == wanted { return payload }
        }
    }

    private func readExactly(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            guard got > 0 else { return nil }
            offset += got
        }
        return buffer
    }
}
