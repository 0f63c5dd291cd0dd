import Glibc

/// What can go wrong while setting up or using the media transport (ports, sockets, threads).
///
/// Every case carries the context needed to act on it without a log search: the port range,
/// the address, the failing system call and its `errno`.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every port of the pool is leased or bound by another process: refuse the call (send it
    /// back to the dialplan) rather than wait.
    case portsExhausted(range: ClosedRange<UInt16>, inUseElsewhere: Int)
    /// The configured port range is empty or outside 1...65535.
    case invalidPortRange(lowerBound: Int, upperBound: Int)
    /// The port is already bound by someone else; ``PortPool`` skips it and tries the next.
    case portInUse(UInt16)
    /// The text is not an IPv4 or IPv6 literal.
    case invalidAddress(String)
    /// The remote's address family cannot be reached from this socket (IPv6 peer, IPv4 socket).
    case addressFamilyMismatch(local: SocketAddress, remote: SocketAddress)
    /// The socket or reactor was closed or stopped before the operation.
    case closed
    /// A system call failed.
    case system(call: String, errno: Int32)

    /// A sentence for logs and for the caller's error path.
    public var description: String {
        switch self {
        case .portsExhausted(let range, let elsewhere):
            "no free media port in \(range.lowerBound)...\(range.upperBound) (\(elsewhere) bound by other processes)"
        case .invalidPortRange(let lower, let upper):
            "invalid media port range \(lower)...\(upper) (must be within 1...65535, lower ≤ upper)"
        case .portInUse(let port): "port \(port) is in use by another process"
        case .invalidAddress(let text): "'\(text)' is not an IPv4 or IPv6 address"
        case .addressFamilyMismatch(let local, let remote): "cannot reach \(remote) from socket bound to \(local)"
        case .closed: "the media socket or reactor is closed"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
