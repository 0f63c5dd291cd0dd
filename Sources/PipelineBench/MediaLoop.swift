import Audio
import Calls
import Foundation
import Glibc
import Media

/// The per-call media path at scale: Asterisk's side sends µ-law RTP (50 packets/s per call,
/// random SSRC/sequence/timestamp like chan_rtp) to N calls; each call runs ura's real
/// ``CallMedia`` — strict-source socket, jitter buffer and decoder, the loopback bot, encoder and
/// the shared pacer — and sends the audio back. Measures send-time error, loss, CPU and memory.
enum MediaLoop {
    struct Result {
        var calls: Int
        var sent: Int
        /// Packets ura's sockets accepted into the jitter buffers.
        var received: Int
        /// Frames ura sent back (one per call per tick: the loopback never goes silent).
        var echoed: Int
        var late: Int
        var p50: Double
        var p99: Double
        var cpuPercent: Double
        var rssPerCallMegabytes: Double
    }

    static func run(calls: Int, seconds: Double = 5) async throws -> Result {
        let engine = try MediaEngine(bindAddress: "127.0.0.1", ports: 50000...51999, realtimePriority: 10)
        try engine.start()
        defer { engine.stop() }
        let baseRSS = OfflineLoad.rssMegabytes()
        var asterisk: [Int32] = []
        var medias: [CallMedia] = []
        for _ in 0..<calls {
            let media = try CallMedia.open(engine: engine, format: .ulaw, jitterWindow: .milliseconds(60))
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var buffer: Int32 = 1 << 20
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
            try media.connect(remote: SocketAddress(ip: "127.0.0.1", port: UInt16(bigEndian: address.sin_port)), handler: LoopbackBot(delay: .zero))
            asterisk.append(fd)
            medias.append(media)
        }
        defer { for fd in asterisk { close(fd) } }
        let destinations = medias.map { $0.socket.port }
        let payload = [UInt8](repeating: 0xD5, count: 160)
        var ssrcs = (0..<calls).map { _ in UInt32.random(in: 0 ... .max) }
        var sequences = (0..<calls).map { _ in UInt16.random(in: 0 ... .max) }
        var timestamps = (0..<calls).map { _ in UInt32.random(in: 0 ... .max) }
        var sent = 0, echoed = 0
        var receive = [UInt8](repeating: 0, count: 2048)
        let startCPU = OfflineLoad.cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        var tick = 0
        while clock.now - start < .seconds(seconds) {
            for index in 0..<calls {
                var header: [UInt8] = [0x80, 0x00, UInt8(sequences[index] >> 8), UInt8(sequences[index] & 0xFF)]
                header += withUnsafeBytes(of: timestamps[index].bigEndian, Array.init) + withUnsafeBytes(of: ssrcs[index].bigEndian, Array.init)
                var destination = sockaddr_in()
                destination.sin_family = sa_family_t(AF_INET)
                destination.sin_addr.s_addr = inet_addr("127.0.0.1")
                destination.sin_port = destinations[index].bigEndian
                let packet = header + payload
                let result = packet.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &destination) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(asterisk[index], bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
                if result > 0 { sent += 1 }
                sequences[index] &+= 1
                timestamps[index] &+= 160
                while recv(asterisk[index], &receive, receive.count, 0) > 0 { echoed += 1 }
            }
            tick += 1
            let next = start + .milliseconds(20) * tick
            // A blocking sleep on purpose: this loop plays Asterisk's clock, not a task.
            if next > clock.now { usleep(UInt32((next - clock.now).components.attoseconds / 1_000_000_000_000)) }
        }
        // Let the last frames come back.
        usleep(200_000)
        for fd in asterisk { while recv(fd, &receive, receive.count, 0) > 0 { echoed += 1 } }
        let elapsed = clock.now - start
        let cpu = (OfflineLoad.cpuSeconds() - startCPU) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 100
        ssrcs.removeAll()
        let histogram = engine.pacer.stats.sendError
        let statistics = medias.map(\.statistics)
        for media in medias { await media.close() }
        return Result(
            calls: calls, sent: sent, received: statistics.reduce(0) { $0 + Int($1.received) }, echoed: echoed,
            late: statistics.reduce(0) { $0 + Int($1.late) }, p50: Double(histogram.percentile(0.5)) / 1e6, p99: Double(histogram.percentile(0.99)) / 1e6,
            cpuPercent: cpu, rssPerCallMegabytes: (OfflineLoad.rssMegabytes() - baseRSS) / Double(calls))
    }
}
