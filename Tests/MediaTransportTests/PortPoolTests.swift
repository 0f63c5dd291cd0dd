import Testing
@testable import Media

@Suite struct PortPoolTests {
    @Test func handsOutEveryPortOnceThenReportsExhaustion() throws {
        let pool = try PortPool(range: 41000...41003)
        let leases = try (0..<4).map { _ in try pool.lease() }
        #expect(Set(leases.map(\.port)) == [41000, 41001, 41002, 41003])
        #expect(pool.leasedCount == 4)
        #expect(throws: TransportError.portsExhausted(range: 41000...41003, inUseElsewhere: 0)) { try pool.lease() }
    }

    @Test func releasedPortIsLeasedAgainAndReleaseIsIdempotent() throws {
        let pool = try PortPool(range: 41000...41001)
        let first = try pool.lease()
        let second = try pool.lease()
        first.release()
        first.release()
        #expect(first.isReleased)
        #expect(pool.leasedCount == 1)
        let again = try pool.lease()
        #expect(again.port == first.port)
        #expect(again.port != second.port)
        #expect(throws: TransportError.self) { try pool.lease() }
    }

    @Test func handsOutRoundRobinSoAReleasedPortRestsBeforeReuse() throws {
        let pool = try PortPool(range: 41000...41002)
        let first = try pool.lease()
        first.release()
        let next = try pool.lease()
        #expect(next.port != first.port)
    }

    @Test func droppedLeaseReturnsItsPort() throws {
        let pool = try PortPool(range: 41000...41000)
        do { _ = try pool.lease() }
        #expect(pool.leasedCount == 0)
        #expect(try pool.lease().port == 41000)
    }

    @Test func scopedLeaseIsReleasedWhenTheBodyThrows() throws {
        struct Failure: Error {}
        let pool = try PortPool(range: 41000...41001)
        #expect(throws: Failure.self) {
            try pool.withPort { lease in
                #expect(pool.leasedCount == 1)
                #expect(!lease.isReleased)
                throw Failure()
            }
        }
        #expect(pool.leasedCount == 0)
    }

    @Test func scopedAsyncLeaseIsReleasedAfterTheBody() async throws {
        let pool = try PortPool(range: 41000...41001)
        let port = try await pool.withPort { lease async in lease.port }
        #expect((41000...41001).contains(port))
        #expect(pool.leasedCount == 0)
    }

    @Test(arguments: [(0, 10), (65535, 65536), (-1, 3), (70000, 70001)])
    func rejectsRangesOutsideTheUDPPorts(bounds: (Int, Int)) {
        #expect(throws: TransportError.invalidPortRange(lowerBound: bounds.0, upperBound: bounds.1)) {
            try PortPool(range: bounds.0...bounds.1)
        }
    }

    @Test func bindingSkipsPortsTakenByOtherProcessesAndCountsThem() throws {
        let base = randomPortBase(span: 3)
        let pool = try PortPool(range: base...(base + 2))
        let squatter = try UDPPeer(ip: "0.0.0.0", port: UInt16(base + 1))
        let sockets = try (0..<2).map { _ in try MediaSocket.open(bindAddress: "0.0.0.0", pool: pool) }
        #expect(Set(sockets.map(\.port)) == [UInt16(base), UInt16(base + 2)])
        #expect(throws: TransportError.portsExhausted(range: UInt16(base)...UInt16(base + 2), inUseElsewhere: 1)) {
            try MediaSocket.open(bindAddress: "0.0.0.0", pool: pool)
        }
        #expect(pool.leasedCount == 2)
        sockets[0].close()
        #expect(pool.leasedCount == 1)
        let reopened = try MediaSocket.open(bindAddress: "0.0.0.0", pool: pool)
        #expect(reopened.port == UInt16(base))
        _ = squatter
    }

    @Test func bindingErrorsOtherThanPortInUseAreRethrownAndReleaseTheLease() throws {
        let pool = try PortPool(range: 41000...41003)
        #expect(throws: TransportError.closed) {
            try pool.lease { _ throws(TransportError) -> Int in throw .closed }
        }
        #expect(pool.leasedCount == 0)
    }
}
