import Glibc
import Media
import Synchronization

// Media-plane benchmark: N calls paced by one PacerClock, each sending real RTP over its own
// MediaSocket on loopback to a simulated Asterisk that echoes it back through one MediaReactor.
//
// usage: MediaBench [calls=1000] [--seconds 5] [--port-start 42000] [--slots 10] [--realtime] [--no-echo]
// The last line sums it up:
// media: calls=1000 p50_send_error_ms=… p99_send_error_ms=… lost=0 cpu_pct=… rss_mb_per_call=…

struct Options {
    var calls = 1000
    var seconds = 5.0
    var portStart = 42000
    var slots = 10
    var realtime = false
    var echo = true

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--seconds": seconds = Double(rest.popFirst() ?? "") ?? seconds
            case "--port-start": portStart = Int(rest.popFirst() ?? "") ?? portStart
            case "--slots": slots = Int(rest.popFirst() ?? "") ?? slots
            case "--realtime": realtime = true
            case "--no-echo": echo = false
            default:
                guard let calls = Int(argument), calls > 0 else {
                    print("usage: MediaBench [calls] [--seconds S] [--port-start P] [--slots N] [--realtime] [--no-echo]")
                    exit(2)
                }
                self.calls = calls
            }
        }
    }
}

func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { sizePointer in
        withUnsafeMutablePointer(to: &resident) { withVaList([sizePointer, $0]) { vfscanf(file, "%ld %ld", $0) } }
    }) == 2 else { return 0 }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func openDescriptorCount() -> Int {
    guard let directory = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while readdir(directory) != nil { count += 1 }
    return count
}

func processCPUNanoseconds() -> UInt64 {
    var usage = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
    return UInt64(usage.tv_sec) * 1_000_000_000 + UInt64(usage.tv_nsec)
}

func milliseconds(_ nanoseconds: UInt64) -> String {
    let value = Double(nanoseconds) / 1e6
    return String(Int((value * 100).rounded())) .withDecimal(2)
}

extension String {
    /// "123" with 2 decimals → "1.23" (Foundation-free formatting).
    func withDecimal(_ places: Int) -> String {
        let padded = String(repeating: "0", count: Swift.max(0, places + 1 - count)) + self
        return padded.dropLast(places) + "." + padded.suffix(places)
    }
}

/// Writes the 12-byte RTP header in front of the payload (benchmark only; ura's sink uses
/// the Media RTP serialiser) and sends it.
func send(_ packet: OutboundPacket, on socket: MediaSocket) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12 + packet.payload.count) { buffer in
        buffer[0] = 0x80
        buffer[1] = (packet.marker ? 0x80 : 0) | packet.payloadType
        buffer[2] = UInt8(packet.sequenceNumber >> 8)
        buffer[3] = UInt8(truncatingIfNeeded: packet.sequenceNumber)
        for shift in 0..<4 {
            buffer[4 + shift] = UInt8(truncatingIfNeeded: packet.timestamp >> (24 - 8 * shift))
            buffer[8 + shift] = UInt8(truncatingIfNeeded: packet.ssrc >> (24 - 8 * shift))
        }
        _ = packet.payload.withUnsafeBytes { memcpy(buffer.baseAddress! + 12, $0.baseAddress!, $0.count) }
        socket.send(UnsafeRawBufferPointer(buffer))
    }
}

/// Runs a mode that plays one side of an externally measured run, then exits.
func runMode(_ name: String, _ body: () async throws -> Void) async -> Never {
    do {
        try await body()
        exit(0)
    } catch {
        print("MediaBench \(name) failed: \(error)")
        exit(1)
    }
}

let modeArguments = Array(CommandLine.arguments.dropFirst(2))
switch CommandLine.arguments.dropFirst().first {
case "serve":
    await runMode("serve") { try await MediaServe.run(MediaServe.Options(modeArguments)) }
case "drive": await runMode("drive") { try MediaDrive.run(MediaDrive.Options(modeArguments)) }
case "alloc": await runMode("alloc") { try await MediaAllocations.run(MediaAllocations.Options(modeArguments)) }
default: break
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let baselineRSS = residentBytes()
let baselineDescriptors = openDescriptorCount()

do {
    let asterisk = try AsteriskSide(echo: options.echo)
    let pool = try PortPool(range: options.portStart...(options.portStart + options.calls + 99))
    let reactor = try MediaReactor()
    let clock = PacerClock(slots: options.slots, realtimePriority: options.realtime ? 50 : nil)
    let pacer = Pacer(clock: clock)

    let sockets = try (0..<options.calls).map { _ in
        let socket = try MediaSocket.open(bindAddress: "127.0.0.1", pool: pool)
        try socket.setRemote(asterisk.address)
        // The echo is counted by the socket's own `received` counter.
        try reactor.register(socket) { _ in }
        return socket
    }
    let streams = sockets.map { socket in
        OutboundStream(configuration: .init(payloadType: 0)) { packet in send(packet, on: socket) }
    }
    for stream in streams { pacer.add(stream) }

    // The producer: one 20 ms µ-law frame per call per tick, queued on the clock like the
    // loopback bot does.
    let silence = [UInt8](repeating: 0xFF, count: 160)
    let feeder = clock.addHandler(stage: .pull) { tick in
        for (index, stream) in streams.enumerated() {
            stream.enqueue(OutboundFrame(
                payload: silence,
                provenance: AudioProvenance(sourceID: UInt64(index), sampleOffset: Int64(tick.index) * 160, sampleCount: 160)))
        }
    }

    try reactor.start()
    asterisk.start()
    let startCPU = processCPUNanoseconds()
    let startWall = MonotonicClock.now()
    try clock.start()
    MonotonicClock.sleep(until: startWall + UInt64(options.seconds * 1e9))
    clock.removeHandler(feeder)
    clock.stop()
    let wall = MonotonicClock.now() - startWall
    let processCPU = processCPUNanoseconds() - startCPU
    let runRSS = residentBytes()
    // Let the last packets and echoes arrive.
    MonotonicClock.sleep(until: MonotonicClock.now() + 300_000_000)
    asterisk.stop()

    let sent = streams.reduce(UInt64(0)) { $0 + $1.stats.framesSent }
    let receivedByAsterisk = asterisk.received.values.reduce(0, +)
    let echoed = sockets.reduce(UInt64(0)) { $0 + $1.counters.snapshot.received }
    let sendErrors = sockets.reduce(UInt64(0)) { $0 + $1.counters.snapshot.sendErrors }
    let stats = pacer.stats
    let clockStats = clock.stats
    let uraCPU = processCPU - min(processCPU, asterisk.cpuNanoseconds)

    pacer.close()
    for socket in sockets { socket.close() }
    reactor.stop()

    let echoLost = options.echo ? Int64(receivedByAsterisk) - Int64(echoed) : 0
    let cpuPercent = Double(uraCPU) / Double(wall) * 100
    let rssPerCall = Double(runRSS - baselineRSS) / Double(options.calls) / 1_048_576
    print("packets: sent=\(sent) received_by_asterisk=\(receivedByAsterisk) echoed_back=\(echoed) send_errors=\(sendErrors) echo_send_errors=\(asterisk.echoErrors)")
    print("clock: slots_per_tick=\(clock.slots) slots_run=\(clockStats.slotsRun) slots_skipped=\(clockStats.slotsSkipped) realtime=\(clock.isRealtime) max_send_error_ms=\(milliseconds(stats.sendError.maximum))")
    print("asterisk_sim_cpu_pct=\(Int((Double(asterisk.cpuNanoseconds) / Double(wall) * 100).rounded())) fds_leaked=\(openDescriptorCount() - baselineDescriptors) ports_leased=\(pool.leasedCount)")
    print("media: calls=\(options.calls) p50_send_error_ms=\(milliseconds(stats.sendError.percentile(0.5))) p99_send_error_ms=\(milliseconds(stats.sendError.percentile(0.99))) lost=\(Int64(sent) - Int64(receivedByAsterisk)) echo_lost=\(echoLost) cpu_pct=\(Int(cpuPercent.rounded())) rss_mb_per_call=\(String(Int((rssPerCall * 1000).rounded())).withDecimal(3))")
} catch {
    print("MediaBench failed: \(error)")
    exit(1)
}
