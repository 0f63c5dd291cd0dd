import Audio
import Calls
import Foundation
import Glibc
import Media
import Synchronization

/// `MediaBench serve`: ura's production per-call media loop for N calls, driven from outside.
///
/// Each call is what a real call runs — ``CallMedia`` (strict-source socket, jitter buffer,
/// decoder, encoder, the shared pacer) with the ``LoopbackBot`` at delay 0 — on its own UDP
/// port. Nobody announces the remote as Asterisk would: each call learns it from the first
/// packet that reaches its port, then accepts nothing else. Any RTP generator can play
/// Asterisk's part (`MediaBench drive` is one) and measure ura as it would any server: CPU from
/// /proc, echo round trip, loss.
///
/// usage: MediaBench serve [calls=100] [--port-base 40000] [--format ulaw|alaw|slin|g722]
///                         [--jitter-ms 60] [--ports-file media-ports.txt]
/// Writes one `PORT` per line to the ports file once every call listens; runs until SIGTERM or
/// SIGINT; prints its counters on SIGUSR1 and at exit, last line `media: …`.
enum MediaServe {
    struct Options {
        var calls = 100
        var portBase = 40000
        var format = AudioFormat.ulaw
        var jitterMilliseconds = 60
        var portsFile = "media-ports.txt"

        init(_ arguments: [String]) {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                switch argument {
                case "--port-base": portBase = Int(rest.popFirst() ?? "") ?? portBase
                case "--format":
                    guard let chosen = AudioFormat(rawValue: rest.popFirst() ?? "") else { Self.usage() }
                    format = chosen
                case "--jitter-ms": jitterMilliseconds = Int(rest.popFirst() ?? "") ?? jitterMilliseconds
                case "--ports-file": portsFile = rest.popFirst() ?? portsFile
                default:
                    guard let calls = Int(argument), calls > 0 else { Self.usage() }
                    self.calls = calls
                }
            }
        }

        static func usage() -> Never {
            print("usage: MediaBench serve [calls] [--port-base P] [--format ulaw|alaw|slin|g722] [--jitter-ms N] [--ports-file F]")
            exit(2)
        }
    }

    /// The last of SIGTERM, SIGINT or SIGUSR1 received and not yet handled.
    static let pendingSignal = Atomic<Int32>(0)

    /// Catches SIGTERM, SIGINT and SIGUSR1 into ``pendingSignal``. A handler, not `sigwait`:
    /// threads the runtime starts on its own (libdispatch's, for async `main`) would not have
    /// them blocked, and a signal delivered to one of those would end the process.
    static func catchSignals() {
        _ = pendingSignal.load(ordering: .relaxed)  // initialised now, not inside the handler
        for signal in [SIGTERM, SIGINT, SIGUSR1] {
            _ = Glibc.signal(signal) { received in MediaServe.pendingSignal.store(received, ordering: .relaxed) }
        }
    }

    static func run(_ options: Options) async throws {
        catchSignals()

        let baselineRSS = residentBytes()
        let engine = try MediaEngine(
            bindAddress: "0.0.0.0", ports: options.portBase...(options.portBase + options.calls + 99), realtimePriority: 10)
        try engine.start()
        defer { engine.stop() }
        let medias = try (0..<options.calls).map { _ in
            try CallMedia.open(engine: engine, format: options.format, jitterWindow: .milliseconds(options.jitterMilliseconds))
        }
        let ports = medias.map { "\($0.socket.localAddress.port)\n" }.joined()
        try ports.write(toFile: options.portsFile, atomically: true, encoding: .utf8)
        print("serving \(options.calls) calls (\(options.format.rawValue)) on ports \(medias.first!.socket.localAddress.port)…; ports in \(options.portsFile)")
        fflush(nil)

        let learner = RemoteLearner(medias)
        let startCPU = processCPUNanoseconds()
        let startWall = MonotonicClock.now()
        func report() {
            let wall = MonotonicClock.now() - startWall
            let cpu = Double(processCPUNanoseconds() - startCPU) / Double(max(1, wall)) * 100
            let statistics = medias.map(\.statistics)
            let sockets = medias.map(\.socket.counters.snapshot)
            let sendError = engine.pacer.stats.sendError
            let rssPerCall = Double(residentBytes() - baselineRSS) / Double(options.calls) / 1024
            print(
                "media: serve_calls=\(options.calls) connected=\(learner.connected) received=\(statistics.reduce(0) { $0 + $1.received })"
                    + " lost=\(statistics.reduce(0) { $0 + $1.lost }) late=\(statistics.reduce(0) { $0 + $1.late })"
                    + " sent=\(sockets.reduce(0) { $0 + $1.sent }) send_errors=\(sockets.reduce(0) { $0 + $1.sendErrors })"
                    + " foreign_dropped=\(sockets.reduce(0) { $0 + $1.droppedForeignSource })"
                    + " p50_send_error_ms=\(milliseconds(sendError.percentile(0.5))) p99_send_error_ms=\(milliseconds(sendError.percentile(0.99)))"
                    + " cpu_pct=\(String(Int((cpu * 100).rounded())).withDecimal(2)) cpu_pct_per_call=\(String(Int((cpu / Double(options.calls) * 1000).rounded())).withDecimal(3))"
                    + " rss_kib_per_call=\(Int(rssPerCall.rounded()))")
            fflush(nil)
        }
        while true {
            usleep(50_000)
            let received = pendingSignal.exchange(0, ordering: .relaxed)
            if received == SIGUSR1 { report() } else if received != 0 { break }
        }
        learner.stop()
        report()
        try? FileManager.default.removeItem(atPath: options.portsFile)
        for media in medias { await media.close() }
    }
}

/// Connects each call to the source of the first packet its port receives, on a thread of its
/// own, until every call is connected or ``stop()``.
final class RemoteLearner: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)

    var connected: Int { count.load(ordering: .relaxed) }

    init(_ medias: [CallMedia]) {
        Thread { [self] in learn(medias) }.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    private func learn(_ medias: [CallMedia]) {
        var waiting = Array(medias.indices)
        while !waiting.isEmpty, !stopped.load(ordering: .relaxed) {
            waiting.removeAll { index in
                guard let source = medias[index].socket.firstSource(waitingMilliseconds: 0) else { return false }
                do {
                    try medias[index].connect(remote: source, handler: LoopbackBot(delay: .zero))
                    count.add(1, ordering: .relaxed)
                } catch {
                    print("call on port \(medias[index].socket.localAddress.port) not connected: \(error)")
                }
                return true
            }
            usleep(2000)
        }
    }
}
