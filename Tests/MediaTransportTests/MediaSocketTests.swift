import Glibc
import Synchronization
import Testing
@testable import Media

/// Collects what a reactor handler received (handler runs on the reactor thread).
final class Inbox: Sendable {
    private let datagrams = Mutex<[[UInt8]]>([])
    var received: [[UInt8]] { datagrams.withLock { $0 } }
    var count: Int { datagrams.withLock { $0.count } }
    func handle(_ datagram: ReceivedDatagram) {
        let copy = Array(datagram.bytes)
        datagrams.withLock { $0.append(copy) }
    }
}

@Suite struct MediaSocketTests {
    static func withReactor<Result>(_ body: (MediaReactor) throws -> Result) throws -> Result {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        return try body(reactor)
    }

    @Test(arguments: [("127.0.0.1", "127.0.0.1"), ("::1", "::1"), ("::", "127.0.0.1"), ("0.0.0.0", "127.0.0.1")])
    func acceptsOnlyTheRemoteAndRepliesFromTheBoundPort(addresses: (bind: String, peer: String)) throws {
        try Self.withReactor { reactor in
            let base = randomPortBase(span: 4)
            let pool = try PortPool(range: base...(base + 3))
            let socket = try MediaSocket.open(bindAddress: addresses.bind, pool: pool)
            defer { socket.close() }
            let inbox = Inbox()
            try reactor.register(socket) { inbox.handle($0) }
            let asterisk = try UDPPeer(ip: addresses.peer)
            let attacker = try UDPPeer(ip: addresses.peer)
            let target = try SocketAddress(ip: addresses.peer, port: socket.port)

            // Before Asterisk's address is known nothing is accepted.
            asterisk.send([1], to: target)
            #expect(eventually { socket.counters.snapshot.droppedBeforeRemote == 1 })

            try socket.setRemote(asterisk.address)
            attacker.send([2], to: target)
            asterisk.send([3, 3], to: target)
            #expect(eventually { inbox.count == 1 })
            #expect(eventually { socket.counters.snapshot.droppedForeignSource == 1 })
            #expect(inbox.received == [[3, 3]])

            #expect(socket.send([9, 8, 7]))
            let reply = try #require(asterisk.receive())
            #expect(reply.bytes == [9, 8, 7])
            #expect(reply.source.unmapped.port == socket.port)

            let counters = socket.counters.snapshot
            #expect(counters.received == 1)
            #expect(counters.sent == 1)
            #expect(counters.sendErrors == 0)
        }
    }

    @Test func aForeignPortOnTheRemoteHostIsStillForeign() throws {
        try Self.withReactor { reactor in
            let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
            defer { socket.close() }
            let inbox = Inbox()
            try reactor.register(socket) { inbox.handle($0) }
            let asterisk = try UDPPeer()
            let samHostOtherPort = try UDPPeer()
            try socket.setRemote(asterisk.address)
            for _ in 0..<5 { samHostOtherPort.send([6], to: socket.localAddress) }
            asterisk.send([1], to: socket.localAddress)
            #expect(eventually { inbox.count == 1 && socket.counters.snapshot.droppedForeignSource == 5 })
        }
    }

    @Test func oversizeDatagramsAreDroppedAndCounted() throws {
        let reactor = try MediaReactor(maxDatagramSize: 64)
        try reactor.start()
        defer { reactor.stop() }
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        defer { socket.close() }
        let inbox = Inbox()
        try reactor.register(socket) { inbox.handle($0) }
        let asterisk = try UDPPeer()
        try socket.setRemote(asterisk.address)
        asterisk.send([UInt8](repeating: 1, count: 65), to: socket.localAddress)
        asterisk.send([UInt8](repeating: 2, count: 64), to: socket.localAddress)
        #expect(eventually { inbox.count == 1 })
        #expect(inbox.received.first?.count == 64)
        #expect(socket.counters.snapshot.oversize == 1)
    }

    @Test func sendingBeforeTheRemoteIsKnownOrAfterCloseIsCountedAsAnError() throws {
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        #expect(!socket.send([1]))
        let peer = try UDPPeer()
        try socket.setRemote(peer.address)
        socket.close()
        #expect(!socket.send([1]))
        #expect(socket.counters.snapshot.sendErrors == 2)
        #expect(throws: TransportError.closed) { try socket.setRemote(peer.address) }
    }

    @Test func anIPv6RemoteCannotBeSetOnAnIPv4Socket() throws {
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        defer { socket.close() }
        #expect(throws: TransportError.self) { try socket.setRemote(SocketAddress(ip: "::1", port: 5000)) }
    }

    @Test func closeReleasesThePortAndIsIdempotent() throws {
        let base = randomPortBase(span: 1)
        let pool = try PortPool(range: base...base)
        let socket = try MediaSocket.open(bindAddress: "127.0.0.1", pool: pool)
        #expect(pool.leasedCount == 1)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        #expect(pool.leasedCount == 0)
        let again = try MediaSocket.open(bindAddress: "127.0.0.1", pool: pool)
        #expect(again.port == UInt16(base))
        again.close()
    }

    @Test(arguments: ["1.2.3", "localhost", "", "::g"])
    func bindAddressMustBeAnIPLiteral(text: String) throws {
        let pool = try PortPool(range: 41000...41001)
        #expect(throws: TransportError.invalidAddress(text)) { try MediaSocket.open(bindAddress: text, pool: pool) }
        #expect(pool.leasedCount == 0)
    }

    @Test func addressesPrintAndUnmapAsExpected() throws {
        let v4 = try SocketAddress(ip: "192.0.2.7", port: 4000)
        let mapped = try SocketAddress(ip: "::ffff:192.0.2.7", port: 4000)
        #expect(v4.description == "192.0.2.7:4000")
        #expect(try SocketAddress(ip: "2001:db8::1", port: 5).description == "[2001:db8::1]:5")
        #expect(mapped.unmapped == v4)
        #expect(v4.mappedToIPv6 == mapped)
        #expect(v4.unmapped == v4)
    }
}
