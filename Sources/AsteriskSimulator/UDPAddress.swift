import Glibc

/// An IPv4 `host:port` (`external_host`); `localhost` resolves to 127.0.0.1.
struct UDPAddress: Sendable, Equatable, Hashable {
    var host: UInt32
    var port: UInt16

    init(host: UInt32, port: UInt16) {
        self.host = host
        self.port = port
    }

    init?(hostPort: String) {
        guard let colon = hostPort.lastIndex(of: ":"), let port = UInt16(hostPort[hostPort.index(after: colon)...]), port > 0 else {
            return nil
        }
        var name = String(hostPort[..<colon])
        if name == "localhost" { name = "127.0.0.1" }
        var address = in_addr()
        guard inet_pton(AF_INET, name, &address) == 1 else { return nil }
        host = address.s_addr
        self.port = port
    }

    var sockaddr: sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = host
        address.sin_port = port.bigEndian
        return address
    }

    init(_ address: sockaddr_in) {
        host = address.sin_addr.s_addr
        port = UInt16(bigEndian: address.sin_port)
    }
}
