import CMediaSockets
import Foundation
import Glibc
import Media

/// `MediaBench drive`: an RTP generator playing Asterisk's part against `MediaBench serve` (or
/// any server that echoes): one UDP socket per call, G.711 µ-law at the given ptime, random
/// SSRC/sequence/timestamp as chan_rtp starts them, the calls' packets spread over the ptime
/// as independent channels' are (not sent in one burst). Each packet carries a numbered marker
/// in its audio (µ-law codes that survive decode and re-encode), so the echo's round trip is
/// measured per packet: from the moment it was sent to the kernel's receive timestamp of its
/// echo (SO_TIMESTAMPNS), so the driver's own scheduling does not count. The sockets are
/// watched with epoll. The server's CPU comes from /proc when its pid is given.
///
/// usage: MediaBench drive [--ports-file media-ports.txt] [--host 127.0.0.1] [--seconds 10]
///                         [--ptime 20] [--pid PID]
/// Last line: `media: drive_calls=… sent=… echoed=… lost=… rtt_p50_ms=… rtt_p99_ms=…
///             rtt_spread_p99_ms=… rtt_jitter_p99_ms=… server_cpu_pct=… server_cpu_pct_per_call=…`
/// `rtt_jitter_p99_ms`: the 99th percentile of how far an echo's round trip strays from its
/// call's median: the server's own timing noise (and the driver's sends, up to a millisecond
/// late when its wait overshoots; the send time is taken as the packet leaves).
enum MediaDrive {
    struct Options {
        var portsFile = "media-ports.txt"
        var host = "127.0.0.1"
        var seconds = 10.0
        var ptime = 20
        var pid: Int32?

        init(_ arguments: [String]) {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                switch argument {
                case "--ports-file": portsFile = rest.popFirst() ?? portsFile
                case "--host": host = rest.popFirst() ?? host
                case "--seconds": seconds = Double(rest.popFirst() ?? "") ?? seconds
                case "--ptime": ptime = Int(rest.popFirst() ?? "") ?? ptime
                case "--pid": pid = Int32(rest.popFirst() ?? "")
                default:
                    print("usage: MediaBench drive [--ports-file F] [--host H] [--seconds S] [--ptime 20|30|40] [--pid PID]")
                    exit(2)
                }
            }
            guard [10, 20, 30, 40].contains(ptime) else {
                print("--ptime: 10, 20, 30 or 40")
                exit(2)
            }
        }
    }

    /// Marks a packet's audio: a sentinel code then the number in four 6-bit symbols, all
    /// µ-law codes that decode and re-encode to themselves (never the two zeros 0x7F/0xFF).
    static let sentinel: UInt8 = 0x0F
    static func marker(_ number: Int) -> [UInt8] {
        [sentinel] + (0..<4).map { UInt8(0x10 + (number >> (6 * (3 - $0))) & 0x3F) }
    }

    static func number(in bytes: [UInt8], at index: Int) -> Int? {
        guard index + 5 <= bytes.count, bytes[index] == sentinel else { return nil }
        var number = 0
        for offset in 1...4 {
            let symbol = Int(bytes[index + offset]) - 0x10
            guard (0..<64).contains(symbol) else { return nil }
            number = number << 6 | symbol
        }
        return number
    }

    static func run(_ options: Options) throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: options.portsFile), ContinuousClock.now < deadline { usleep(100_000) }
        let ports = try String(contentsOfFile: options.portsFile, encoding: .utf8).split(separator: "\n").compactMap { UInt16($0) }
        guard !ports.isEmpty else { throw SocketError(call: "no ports in \(options.portsFile)", code: 0) }
        let calls = ports.map { port in try? DrivenCall(host: options.host, port: port) }.compactMap { $0 }
        let samplesPerPacket = 8 * options.ptime
        let startCPU = options.pid.map(serverCPUTicks)
        let epoll = cms_epoll_create()
        guard epoll >= 0 else { throw SocketError(call: "epoll_create1", code: -epoll) }
        defer { close(epoll) }
        for (index, call) in calls.enumerated() {
            _ = cms_enable_receive_timestamps(call.descriptor)
            let added = cms_epoll_add(epoll, call.descriptor, UInt64(index))
            guard added == 0 else { throw SocketError(call: "epoll_ctl", code: -added) }
        }
        var receive = [UInt8](repeating: 0, count: 2048)
        var tokens = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        func receiveReady(waitingMilliseconds: Int32) {
            let ready = cms_epoll_wait(epoll, &tokens, &events, Int32(tokens.count), waitingMilliseconds)
            for index in 0..<Int(max(0, ready)) { calls[Int(tokens[index])].receiveAll(into: &receive) }
        }
        // Call `index` sends at start + index/N of a ptime, then every ptime.
        let period = UInt64(options.ptime) * 1_000_000
        let start = cms_monotonic_now_ns()
        let end = start + UInt64(options.seconds * 1e9)
        func due(_ index: Int, _ round: Int) -> UInt64 {
            start + UInt64(round) * period + period * UInt64(index) / UInt64(calls.count)
        }
        var cursor = 0
        var round = 0
        while cms_monotonic_now_ns() < end {
            while due(cursor, round) <= cms_monotonic_now_ns() {
                calls[cursor].send(number: round, samples: samplesPerPacket)
                cursor += 1
                if cursor == calls.count { cursor = 0; round += 1 }
            }
            let untilNext = Int64(due(cursor, round)) - Int64(cms_monotonic_now_ns())
            receiveReady(waitingMilliseconds: untilNext <= 0 ? 0 : Int32(max(1, untilNext / 1_000_000)))
        }
        let wall = Double(cms_monotonic_now_ns() - start) / 1e9
        let settle = cms_monotonic_now_ns() + 300_000_000
        while cms_monotonic_now_ns() < settle { receiveReady(waitingMilliseconds: 10) }
        var roundTrips = calls.flatMap(\.roundTrips)
        let sent = calls.reduce(0) { $0 + $1.sent }
        let echoed = calls.reduce(0) { $0 + $1.echoedMarkers }
        roundTrips.sort()
        func percentile(_ p: Double) -> Double { roundTrips.isEmpty ? 0 : roundTrips[min(roundTrips.count - 1, Int(Double(roundTrips.count) * p))] }
        // Each call's echo waits for its own slot of the server's clock, a fixed phase against
        // ours that differs from call to call, so the spread over all calls shows the slots.
        // What the server adds is how far each echo strays from its call's usual round trip.
        var deviations = calls.flatMap { call -> [Double] in
            let sorted = call.roundTrips.sorted()
            guard !sorted.isEmpty else { return [] }
            let median = sorted[sorted.count / 2]
            return call.roundTrips.map { abs($0 - median) }
        }
        deviations.sort()
        let jitterP99 = deviations.isEmpty ? 0 : deviations[min(deviations.count - 1, Int(Double(deviations.count) * 0.99))]
        var cpuText = ""
        if let pid = options.pid, let startCPU {
            let ticks = serverCPUTicks(pid) - startCPU
            let percent = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / wall * 100
            cpuText = String(format: " server_cpu_pct=%.2f server_cpu_pct_per_call=%.4f", percent, percent / Double(calls.count))
        }
        print(String(
            format: "media: drive_calls=%d ptime_ms=%d sent=%d echoed=%d lost=%d rtt_p50_ms=%.2f rtt_p99_ms=%.2f rtt_spread_p99_ms=%.2f rtt_jitter_p99_ms=%.2f",
            calls.count, options.ptime, sent, echoed, max(0, sent - echoed), percentile(0.5), percentile(0.99), percentile(0.99) - percentile(0.5), jitterP99)
            + cpuText)
    }

    /// utime + stime of `pid`, in clock ticks (`/proc/PID/stat` fields 14 and 15).
    static func serverCPUTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }
}

struct SocketError: Error, CustomStringConvertible {
    var call: String
    var code: Int32
    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// One call as Asterisk's side sends and receives it.
final class DrivenCall {
    let descriptor: Int32
    var destination = sockaddr_in()
    var sequence = UInt16.random(in: 0 ... .max)
    var timestamp = UInt32.random(in: 0 ... .max)
    let ssrc = UInt32.random(in: 0 ... .max)
    var sent = 0
    var echoedMarkers = 0
    /// This call's round trips, in milliseconds.
    var roundTrips: [Double] = []
    /// When each marked packet left (CLOCK_REALTIME ns, the receive timestamps' clock), by its
    /// number; removed when its echo is seen.
    var sentAt: [Int: UInt64] = [:]
    /// The end of the previous echoed payload: a marker may straddle two packets.
    var tail: [UInt8] = []

    init(host: String, port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(call: "socket", code: errno) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var buffer: Int32 = 1 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_addr.s_addr = inet_addr(host)
        destination.sin_port = port.bigEndian
    }

    deinit { close(descriptor) }

    func send(number: Int, samples: Int) {
        var packet: [UInt8] = [0x80, 0x00, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        packet += withUnsafeBytes(of: timestamp.bigEndian, Array.init) + withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        var audio = [UInt8](repeating: 0xFE, count: samples)
        audio.replaceSubrange(40..<45, with: MediaDrive.marker(number))
        packet += audio
        let result = packet.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result > 0 {
            sent += 1
            sentAt[number] = cms_realtime_now_ns()
        }
        sequence &+= 1
        timestamp &+= UInt32(samples)
    }

    func receiveAll(into buffer: inout [UInt8]) {
        while true {
            var arrival: UInt64 = 0
            let count = buffer.withUnsafeMutableBufferPointer { cms_recv_timestamped(descriptor, $0.baseAddress, UInt32($0.count), &arrival) }
            guard count > 12 else { return }
            if arrival == 0 { arrival = cms_realtime_now_ns() }
            let payload = tail + buffer[12..<Int(count)]
            var index = 0
            while index < payload.count {
                if let number = MediaDrive.number(in: payload, at: index), let departure = sentAt.removeValue(forKey: number) {
                    echoedMarkers += 1
                    roundTrips.append(Double(Int64(arrival) - Int64(departure)) / 1e6)
                    index += 5
                } else {
                    index += 1
                }
            }
            tail = Array(payload.suffix(4))
        }
    }
}
