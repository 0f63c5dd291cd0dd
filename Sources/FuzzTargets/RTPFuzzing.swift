import Foundation
import Media

/// Any datagram either fails to parse with an error, or parses to a packet that serializes to a
/// datagram which parses back to the same packet.
enum RTPFuzzing {
    static func run(_ input: Data) {
        let bytes = [UInt8](input)
        guard let packet = try? RTPPacket(parsing: bytes) else { return }
        let written = packet.serialized()
        let reparsed = try? RTPPacket(parsing: written)
        FuzzTargetFailure.check(reparsed == packet, "RTP round trip changed the packet: \(bytes) -> \(written)")
        // The receive path parses straight from the socket buffer; both entry points must agree.
        let fromBuffer = bytes.withUnsafeBytes { try? RTPPacket(parsing: $0) }
        FuzzTargetFailure.check(fromBuffer == packet, "RTP buffer and array parsing disagree on \(bytes)")
    }
}
