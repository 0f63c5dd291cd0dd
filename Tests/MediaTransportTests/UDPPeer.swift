import Glibc
@testable import Media

/// A plain blocking UDP socket playing Asterisk's side (or an attacker's) in tests.
final class UDPPeer {
    let descriptor: Int32
    let address: SocketAddress

    init(ip: String = "127.0.0.1", port: UInt16 = 0) throws {
        let local = try SocketAddress(ip: ip, port: port)
        let descriptor = socket(local.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.descriptor = descriptor
        guard descriptor >= 0 else { throw TransportError.system(call: "socket", errno: errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bound = local.withSockAddr { bind(descriptor, $0, $1) }
        guard bound == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw TransportError.system(call: "bind", errno: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        address = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length)! }
        }
    }

    func send(_ bytes: [UInt8], to target: SocketAddress) {
        let sent = bytes.withUnsafeBytes { buffer in
            target.withSockAddr { sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, $1) }
        }
        precondition(sent == bytes.count, "test peer could not send to \(target): errno \(errno)")
    }

    /// Waits up to 5 s for one datagram; nil on timeout.
    func receive() -> (bytes: [UInt8], source: SocketAddress)? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                buffer.withUnsafeMutableBytes { recvfrom(descriptor, $0.baseAddress, $0.count, 0, address, &length) }
            }
        }
        guard count >= 0 else { return nil }
        let source = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length)! }
        }
        return (Array(buffer.prefix(count)), source)
    }

    deinit { Glibc.close(descriptor) }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. Waits for events
/// from other threads; it asserts nothing about speed.
func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.now() + UInt64(seconds * 1e9)
    while MonotonicClock.now() < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

/// A port range on loopback unlikely to collide with other tests: below Linux's ephemeral range
/// (32768+) and away from ura's default 40000s.
func randomPortBase(span: Int) -> Int {
    Int.random(in: 20_000...(32_000 - span))
}

/// The open descriptors of this process with what they point at (`socket:[123]`, ...), so a
/// leak check can tell "still open" from "number reused by someone else".
func openDescriptors() -> [Int32: String] {
    var result: [Int32: String] = [:]
    guard let directory = opendir("/proc/self/fd") else { return result }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard let number = Int32(name) else { continue }
        var target = [UInt8](repeating: 0, count: 256)
        let length = target.withUnsafeMutableBytes { readlink("/proc/self/fd/\(name)", $0.baseAddress!.assumingMemoryBound(to: CChar.self), 255) }
        if length > 0 { result[number] = String(decoding: target.prefix(length), as: UTF8.self) }
    }
    return result
}
