import Randomness
import Testing
@testable import Media

@Suite("RTPPacket")
struct RTPPacketTests {
    @Test("parses a packet shaped like chan_rtp's first µ-law packet")
    func parsesAsteriskPacket() throws {
        // Header of the first packet of call 100 in the captures: PT 0, seq 9521, ts 385250632,
        // SSRC 1693114480, no marker, CSRC or extension; 160 payload bytes.
        var bytes: [UInt8] = [0x80, 0x00, 0x25, 0x31, 0x16, 0xF6, 0x75, 0x48, 0x64, 0xEA, 0xE0, 0x70]
        let payload = (0..<160).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        bytes += payload
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.payloadType == 0)
        #expect(packet.sequenceNumber == 9521)
        #expect(packet.timestamp == 385_250_632)
        #expect(packet.ssrc == 1_693_114_480)
        #expect(!packet.marker)
        #expect(packet.csrcs.isEmpty)
        #expect(packet.headerExtension == nil)
        #expect(packet.paddingCount == 0)
        #expect(packet.payload == payload)
        #expect(packet.serialized() == bytes)
    }

    static let roundTripCases: [RTPPacket] = [
        RTPPacket(payloadType: 9, sequenceNumber: 65535, timestamp: .max, ssrc: 0x73FF_47C7, payload: [1, 2, 3]),
        RTPPacket(payloadType: 127, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: [], marker: true),
        RTPPacket(
            payloadType: 10, sequenceNumber: 42, timestamp: 99, ssrc: 7, payload: [0xAA, 0xBB],
            csrcs: [1, 0xFFFF_FFFF, 0x1234_5678]
        ),
        RTPPacket(
            payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [9, 9, 9],
            headerExtension: RTPHeaderExtension(profile: 0xBEDE, data: [1, 2, 3, 4, 5, 6, 7, 8])
        ),
        RTPPacket(payloadType: 8, sequenceNumber: 5, timestamp: 6, ssrc: 7, payload: [1, 2, 3, 4, 5], paddingCount: 3),
        RTPPacket(payloadType: 8, sequenceNumber: 5, timestamp: 6, ssrc: 7, payload: [], paddingCount: 1),
        RTPPacket(
            payloadType: 118, sequenceNumber: 300, timestamp: 16, ssrc: 4_801_437, payload: Array(repeating: 0x7F, count: 640),
            marker: true, csrcs: Array(0..<15), headerExtension: RTPHeaderExtension(profile: 1, data: []), paddingCount: 255
        ),
    ]

    @Test("serialise then parse gives the same packet", arguments: roundTripCases)
    func roundTrip(packet: RTPPacket) throws {
        let bytes = packet.serialized()
        #expect(bytes.count == packet.serializedCount)
        #expect(try RTPPacket(parsing: bytes) == packet)
    }

    @Test("the header bits land where RFC 3550 puts them")
    func headerBits() {
        let packet = RTPPacket(
            payloadType: 9, sequenceNumber: 0x0102, timestamp: 0x0304_0506, ssrc: 0x0708_090A, payload: [0xEE],
            marker: true, csrcs: [0x0B0C_0D0E], headerExtension: RTPHeaderExtension(profile: 0x1112, data: [0x13]),
            paddingCount: 2
        )
        #expect(packet.serialized() == [
            0xB1, 0x89, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
            0x0B, 0x0C, 0x0D, 0x0E,
            0x11, 0x12, 0x00, 0x01, 0x13, 0x00, 0x00, 0x00,
            0xEE, 0x00, 0x02,
        ])
    }

    @Test("serialise(into:) writes the same bytes into a reused buffer")
    func serializeIntoBuffer() {
        let packet = Self.roundTripCases[2]
        var buffer = [UInt8](repeating: 0xFF, count: 1500)
        let written = buffer.withUnsafeMutableBytes { packet.serialize(into: $0) }
        #expect(Array(buffer[..<written]) == packet.serialized())
    }

    static let malformedCases: [(bytes: [UInt8], error: RTPPacketError)] = [
        ([], .truncatedHeader(byteCount: 0)),
        ([0x80, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0], .truncatedHeader(byteCount: 11)),
        ([0x40, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], .unsupportedVersion(1)),
        ([0xC0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], .unsupportedVersion(3)),
        ([0x00, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], .unsupportedVersion(0)),
        ([0x82, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0], .truncatedCSRCList(csrcCount: 2, byteCount: 19)),
        ([0x8F, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], .truncatedCSRCList(csrcCount: 15, byteCount: 12)),
        ([0x90, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xBE, 0xDE, 0], .truncatedExtension(byteCount: 15)),
        ([0x90, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4], .truncatedExtension(byteCount: 20)),
        ([0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 5, 0], .zeroPaddingCount),
        ([0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 5, 3], .paddingExceedsPayload(paddingCount: 3, available: 2)),
        ([0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 12], .paddingExceedsPayload(paddingCount: 12, available: 0)),
        ([0xB0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 9], .paddingExceedsPayload(paddingCount: 9, available: 1)),
    ]

    @Test("malformed packets throw a typed error", arguments: malformedCases)
    func malformed(testCase: (bytes: [UInt8], error: RTPPacketError)) {
        #expect(throws: testCase.error) { try RTPPacket(parsing: testCase.bytes) }
    }

    @Test("random bytes never crash the parser, and what parses round-trips")
    func fuzz() throws {
        var generator = SeededRandom(seed: 0x5EED_0001)
        var parsed = 0
        for iteration in 0..<200_000 {
            let count = Int.random(in: 0...80, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias half the inputs towards version 2 so the deeper paths are reached too.
            if iteration.isMultiple(of: 2), !bytes.isEmpty { bytes[0] = (bytes[0] & 0x3F) | 0x80 }
            guard let packet = try? RTPPacket(parsing: bytes) else { continue }
            parsed += 1
            // Our serialiser writes zero padding and may pad the extension; the header and
            // payload must survive a second round trip unchanged.
            #expect(try RTPPacket(parsing: packet.serialized()) == packet)
        }
        #expect(parsed > 10_000)
    }
}
