import Glibc
import Synchronization
import Testing
@testable import Media

@Suite struct MediaReactorTests {
    @Test func oneThreadServesManySockets() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        let asterisk = try UDPPeer()
        let count = 300
        let perSocket = 5
        let inboxes = (0..<count).map { _ in Inbox() }
        let sockets = try (0..<count).map { index in
            let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
            try socket.setRemote(asterisk.address)
            try reactor.register(socket) { inboxes[index].handle($0) }
            return socket
        }
        defer { sockets.forEach { $0.close() } }
        #expect(reactor.registeredCount == count)
        for round in 0..<perSocket {
            for (index, socket) in sockets.enumerated() {
                asterisk.send([UInt8(index % 256), UInt8(round)], to: socket.localAddress)
            }
        }
        #expect(eventually { inboxes.allSatisfy { $0.count == perSocket } })
        for (index, inbox) in inboxes.enumerated() {
            #expect(inbox.received == (0..<perSocket).map { [UInt8(index % 256), UInt8($0)] })
        }
    }

    @Test func closingASocketUnregistersItAndItsHandlerIsNotCalledAgain() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        let asterisk = try UDPPeer()
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        try socket.setRemote(asterisk.address)
        let calls = Atomic(0)
        let closed = Atomic(false)
        let calledAfterClose = Atomic(false)
        try reactor.register(socket) { _ in
            calls.add(1, ordering: .relaxed)
            if closed.load(ordering: .acquiring) { calledAfterClose.store(true, ordering: .relaxed) }
        }
        // Keep datagrams flowing while the socket closes.
        for _ in 0..<200 { asterisk.send([1], to: socket.localAddress) }
        #expect(eventually { calls.load(ordering: .relaxed) > 0 })
        socket.close()
        closed.store(true, ordering: .releasing)
        for _ in 0..<50 { asterisk.send([1], to: socket.localAddress) }
        #expect(reactor.registeredCount == 0)
        let violated = calledAfterClose.load(ordering: .relaxed)
        #expect(!violated)
    }

    /// A peer nobody announced (an RTP generator playing Asterisk) is learned from its first
    /// datagram, which still reaches the handler once the socket takes that peer as its remote.
    @Test func theFirstSourceIsLearnedWithoutTakingItsDatagram() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        let asterisk = try UDPPeer()
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        defer { socket.close() }
        #expect(socket.firstSource(waitingMilliseconds: 10) == nil)
        asterisk.send([7, 7, 7], to: socket.localAddress)
        let source = try #require(socket.firstSource(waitingMilliseconds: 1000))
        #expect(source == asterisk.address)
        try socket.setRemote(source)
        let received = Atomic(0)
        try reactor.register(socket) { datagram in received.add(datagram.bytes.count, ordering: .relaxed) }
        #expect(eventually { received.load(ordering: .relaxed) == 3 }, "the peeked datagram is delivered")
    }

    @Test func aHandlerMayCloseItsOwnSocket() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        let asterisk = try UDPPeer()
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        try socket.setRemote(asterisk.address)
        let calls = Atomic(0)
        // Held weakly: the handler must not keep its own socket alive.
        try reactor.register(socket) { [weak socket] _ in
            calls.add(1, ordering: .relaxed)
            socket?.close()
        }
        for _ in 0..<20 { asterisk.send([1], to: socket.localAddress) }
        #expect(eventually { socket.isClosed })
        for _ in 0..<20 { asterisk.send([1], to: socket.localAddress) }
        #expect(reactor.registeredCount == 0)
        // Datagrams already read in the same batch are not handed out after the close.
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func aSocketDroppedWithoutCloseStillUnregistersAndReturnsItsPort() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        defer { reactor.stop() }
        let base = randomPortBase(span: 1)
        let pool = try PortPool(range: base...base)
        do {
            let socket = try MediaSocket.open(bindAddress: "127.0.0.1", pool: pool)
            try reactor.register(socket) { _ in }
            #expect(reactor.registeredCount == 1)
        }
        #expect(reactor.registeredCount == 0)
        #expect(pool.leasedCount == 0)
    }

    @Test func aSocketCannotBeRegisteredTwiceOrAfterClose() throws {
        let reactor = try MediaReactor()
        defer { reactor.stop() }
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        try reactor.register(socket) { _ in }
        #expect(throws: TransportError.self) { try reactor.register(socket) { _ in } }
        socket.close()
        #expect(throws: TransportError.closed) { try reactor.register(socket) { _ in } }
    }

    @Test func startAndStopAreIdempotentAndAStoppedReactorRefusesWork() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        try reactor.start()
        reactor.stop()
        reactor.stop()
        #expect(throws: TransportError.closed) { try reactor.start() }
        let socket = try MediaSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0))
        defer { socket.close() }
        #expect(throws: TransportError.closed) { try reactor.register(socket) { _ in } }
    }

    @Test func closingSocketsAndStoppingTheReactorReturnEveryDescriptor() throws {
        let reactor = try MediaReactor()
        try reactor.start()
        let base = randomPortBase(span: 50)
        let pool = try PortPool(range: base...(base + 49))
        let sockets = try (0..<50).map { _ in
            let socket = try MediaSocket.open(bindAddress: "127.0.0.1", pool: pool)
            try reactor.register(socket) { _ in }
            return socket
        }
        // Descriptor numbers with what they point at (inode): a number reused by a test running
        // in parallel points elsewhere and is not mistaken for a leak.
        let open = openDescriptors()
        let ours = (sockets.map(\.descriptor) + reactor.descriptors).map { ($0, open[$0]) }
        #expect(ours.allSatisfy { $0.1 != nil })
        #expect(ours.filter { $0.1?.hasPrefix("socket:") == true }.count == 50)
        for socket in sockets { socket.close() }
        reactor.stop()
        let after = openDescriptors()
        let leaked = ours.filter { after[$0.0] == $0.1 }
        #expect(leaked.isEmpty, "still open: \(leaked)")
        #expect(pool.leasedCount == 0)
    }
}
