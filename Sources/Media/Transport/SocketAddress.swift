import Glibc

/// An IPv4 or IPv6 address with a UDP port, stored inline (no allocation, cheap to compare).
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, what a dual-stack socket reports for IPv4
/// peers) compare equal to their IPv4 form through ``unmapped``, which the source filter of
/// ``MediaSocket`` relies on.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP part.
    public enum Host: Sendable, Hashable {
        /// IPv4, the four bytes as they sit in memory (network order).
        case v4(UInt32)
        /// IPv6, the sixteen bytes in two halves as they sit in memory, plus the scope id.
        case v6(high: UInt64, low: UInt64, scope: UInt32)
    }

    /// The IP address.
    public var host: Host
    /// The UDP port.
    public var port: UInt16

    /// Creates an address from its parts.
    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses an IP literal such as `"127.0.0.1"` or `"::1"` (zone suffixes like `%eth0` are rejected).
    ///
    /// - Throws: ``TransportError/invalidAddress(_:)`` when `ip` is neither an IPv4 nor an IPv6 literal.
    public init(ip: String, port: UInt16) throws(TransportError) {
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            self.init(host: .v4(v4.s_addr), port: port)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, ip, &v6) == 1 {
            let (high, low) = withUnsafeBytes(of: &v6) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
            self.init(host: .v6(high: high, low: low, scope: 0), port: port)
            return
        }
        throw .invalidAddress(ip)
    }

    /// Reads a `sockaddr_in` or `sockaddr_in6`; nil for any other family or a short length.
    init?(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET where Int(length) >= MemoryLayout<sockaddr_in>.size:
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            self.init(host: .v4(v4.sin_addr.s_addr), port: UInt16(bigEndian: v4.sin_port))
        case AF_INET6 where Int(length) >= MemoryLayout<sockaddr_in6>.size:
            var v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            let (high, low) = withUnsafeBytes(of: &v6.sin6_addr) {
                ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self))
            }
            self.init(host: .v6(high: high, low: low, scope: v6.sin6_scope_id), port: UInt16(bigEndian: v6.sin6_port))
        default:
            return nil
        }
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: Int32 {
        if case .v4 = host { AF_INET } else { AF_INET6 }
    }

    /// True for `0.0.0.0` and `::`.
    public var isWildcard: Bool {
        switch host {
        case .v4(let raw): raw == 0
        case .v6(let high, let low, _): high == 0 && low == 0
        }
    }

    /// The IPv4 form of an IPv4-mapped IPv6 address; any other address unchanged.
    public var unmapped: SocketAddress {
        guard case .v6(let high, let low, _) = host, high == 0,
              UInt32(truncatingIfNeeded: low) == UInt32(0xFFFF).bigEndian
        else { return self }
        return SocketAddress(host: .v4(UInt32(truncatingIfNeeded: low >> 32)), port: port)
    }

    /// The IPv4-mapped IPv6 form of an IPv4 address (to send from a dual-stack socket); IPv6 unchanged.
    public var mappedToIPv6: SocketAddress {
        guard case .v4(let raw) = host else { return self }
        let low = UInt64(UInt32(0xFFFF).bigEndian) | UInt64(raw) << 32
        return SocketAddress(host: .v6(high: 0, low: low, scope: 0), port: port)
    }

    /// Calls `body` with this address as a `sockaddr` of the right family and length (for
    /// `sendto`, `bind`, `connect`); the pointer is valid only during the call.
    public func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        switch host {
        case .v4(let raw):
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            v4.sin_addr.s_addr = raw
            return withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let high, let low, let scope):
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            v6.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &v6.sin6_addr) {
                $0.storeBytes(of: high, as: UInt64.self)
                $0.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// `1.2.3.4:5000` or `[::1]:5000`.
    public var description: String {
        switch host {
        case .v4(let raw):
            var v4 = in_addr(s_addr: raw)
            return "\(Self.presentation(AF_INET, &v4)):\(port)"
        case .v6(let high, let low, _):
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) {
                $0.storeBytes(of: high, as: UInt64.self)
                $0.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return "[\(Self.presentation(AF_INET6, &v6))]:\(port)"
        }
    }

    private static func presentation(_ family: Int32, _ address: UnsafeRawPointer) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        inet_ntop(family, address, &text, socklen_t(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
