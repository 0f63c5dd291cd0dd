import Glibc
import Synchronization

/// The media side of one UnicastRTP channel: a UDP socket on 127.0.0.1 that sends the bridged
/// audio to `external_host` and takes return audio back, as `chan_rtp.c` + `res_rtp_asterisk.c`.
///
/// Sending: one packet per packet of the phone's (its ptime and timing passed through), random SSRC, sequence and timestamp start, marker never
/// set, no CSRC or extension; slin payloads big-endian. Receiving: static payload types only
/// (dynamic ones such as slin16's 118 are dropped and counted), strict source learning, decoded
/// with the simulator's own codecs. Only the media thread calls ``send(_:)`` and ``receive()``;
/// the descriptor is closed in `deinit`, so a media-thread snapshot never reads a reused one.
final class UnicastRTPEndpoint: Sendable {
    let format: AudioFormat
    let remote: UDPAddress
    let localPort: Int
    private let fd: Int32
    private let ports: PortAllocator
    private let counters: CounterStore
    private let closed = Atomic<Bool>(false)
    private let codec: Mutex<CodecState>

    struct CodecState {
        var ssrc = UInt32.random(in: 0...UInt32.max)
        var sequence = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        var learning: StrictRTPSource
        var g722: G722Codec?
        var g722Receive: G722Codec?
    }

    /// Why a channel could not get a socket.
    struct NoPort: Error {}

    init(format: AudioFormat, remote: UDPAddress, ports: PortAllocator, counters: CounterStore) throws(NoPort) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw NoPort() }
        let port = ports.allocate { candidate in
            var address = UDPAddress(host: inet_addr("127.0.0.1"), port: UInt16(candidate)).sockaddr
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }
        guard let port else {
            Glibc.close(fd)
            throw NoPort()
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        self.format = format
        self.remote = remote
        self.localPort = port
        self.ports = ports
        self.counters = counters
        codec = Mutex(CodecState(learning: StrictRTPSource(expected: remote), g722: format == .g722 ? G722Codec() : nil))
    }

    deinit {
        Glibc.close(fd)
        ports.release(localPort)
    }

    /// The socket, for the media thread's `poll`.
    var descriptor: Int32 { fd }

    /// Stops media; the socket itself goes with the last reference.
    func close() { closed.store(true, ordering: .releasing) }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Sends one packet of PCM at the format's rate, as long as the phone's packet was.
    ///
    /// The sequence number is the channel's own and always runs on; the timestamp follows the
    /// phone's (its jumps and suppressed silence, `timestampSkip` units at the format's RTP
    /// clock), as Asterisk forwards the caller's timing; a new source at the phone (SSRC
    /// change) starts a new SSRC and timestamp base here too.
    func send(_ samples: [Int16], timestampSkip: Int = 0, newSource: Bool = false) {
        guard !isClosed else { return }
        let packet: [UInt8] = codec.withLock { state in
            if newSource {
                state.ssrc = .random(in: 0...UInt32.max)
                state.sequence = .random(in: 0...UInt16.max)
                state.timestamp = .random(in: 0...UInt32.max)
            }
            state.timestamp &+= UInt32(truncatingIfNeeded: timestampSkip)
            let payload: [UInt8]
            switch format {
            case .ulaw: payload = samples.map(G711.encodeULaw)
            case .alaw: payload = samples.map(G711.encodeALaw)
            case .slin, .slin16: payload = samples.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
            case .g722: payload = state.g722?.encode(samples) ?? []
            }
            var header: [UInt8] = [0x80, format.payloadType]
            header += [UInt8(state.sequence >> 8), UInt8(state.sequence & 0xFF)]
            header += (0..<4).map { UInt8(truncatingIfNeeded: state.timestamp >> (24 - 8 * UInt32($0))) }
            header += (0..<4).map { UInt8(truncatingIfNeeded: state.ssrc >> (24 - 8 * UInt32($0))) }
            state.sequence &+= 1
            state.timestamp &+= UInt32(truncatingIfNeeded: format.timestampUnits(forSamples: samples.count))
            return header + payload
        }
        var address = remote.sockaddr
        let sent = packet.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if sent > 0 { counters.update { $0.rtpPacketsSent += 1 } }
    }

    /// Reads every waiting datagram; returns the accepted audio, each with its sample rate.
    func receive() -> [(samples: [Int16], rate: Int)] {
        var frames: [(samples: [Int16], rate: Int)] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while !isClosed {
            var source = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let got = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &source) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length) }
                }
            }
            guard got >= 0 else { break }
            if let frame = accept(Array(buffer[0..<got]), from: UDPAddress(source)) { frames.append(frame) }
        }
        return frames
    }

    private func accept(_ packet: [UInt8], from source: UDPAddress) -> (samples: [Int16], rate: Int)? {
        guard packet.count >= 12, packet[0] >> 6 == 2 else {
            counters.update { $0.rtpDroppedMalformed += 1 }
            return nil
        }
        let csrcCount = Int(packet[0] & 0x0F)
        var offset = 12 + csrcCount * 4
        if packet[0] & 0x10 != 0 {
            guard packet.count >= offset + 4 else { counters.update { $0.rtpDroppedMalformed += 1 }; return nil }
            offset += 4 + (Int(packet[offset + 2]) << 8 | Int(packet[offset + 3])) * 4
        }
        var end = packet.count
        if packet[0] & 0x20 != 0, let padding = packet.last { end -= Int(padding) }
        guard offset <= end else {
            counters.update { $0.rtpDroppedMalformed += 1 }
            return nil
        }
        let payloadType = packet[1] & 0x7F
        let sequence = UInt16(packet[2]) << 8 | UInt16(packet[3])
        let payload = Array(packet[offset..<end])
        guard payloadType <= 34 else {
            counters.update { $0.rtpDroppedDynamicPayload += 1 }
            return nil
        }
        return codec.withLock { state -> (samples: [Int16], rate: Int)? in
            guard state.learning.admit(source, sequence: sequence) else {
                counters.update { $0.rtpDroppedStrictSource += 1 }
                return nil
            }
            let decoded: (samples: [Int16], rate: Int)
            switch payloadType {
            case 0: decoded = (payload.map(G711.decodeULaw), 8000)
            case 8: decoded = (payload.map(G711.decodeALaw), 8000)
            case 10, 11:
                decoded = (stride(from: 0, to: payload.count - 1, by: 2).map { Int16(bitPattern: UInt16(payload[$0]) << 8 | UInt16(payload[$0 + 1])) }, 8000)
            case 9:
                if state.g722Receive == nil { state.g722Receive = G722Codec() }
                decoded = (state.g722Receive?.decode(payload) ?? [], 16000)
            default:
                counters.update { $0.rtpDroppedUndecodable += 1 }
                return nil
            }
            counters.update { $0.rtpPacketsReceived += 1 }
            return decoded
        }
    }
}
