import Audio
import ARI
import AsteriskSimulator
import Foundation
import HTTP
import Logging
import Media
import Bots
import ServiceLifecycleTestKit
import Settings
import Synchronization
@testable import Calls

/// ura's call service running against the Asterisk simulator, as `ura serve` wires it.
struct CallHarness {
    static let application = "ura"
    private static let nextPortBlock = Atomic(0)

    let simulator: SimulatedAsterisk
    let engine: MediaEngine
    let http: HTTPClient
    let ari: ARIClient
    let service: CallService

    /// Starts a simulator and a call service; `body` runs while the service does, then a graceful
    /// shutdown is triggered and awaited.
    static func run(
        simulator configuration: SimulatorConfiguration = SimulatorConfiguration(dialplanApp: application),
        format: Audio.AudioFormat = .ulaw, loopbackDelay: Duration = .milliseconds(200),
        drain: Duration = .seconds(5), remainingCalls: RemainingCalls = .continueInDialplan,
        simulatorToUse: SimulatedAsterisk? = nil, defaultBot: BotChoice = .loopback, bots: (any BotFactory)? = nil,
        observer: (any CallObserver)? = nil, mediaPorts: Int = 100, logger: Logger = Logger(label: "test.calls"),
        configure: (inout CallSession.Settings) -> Void = { _ in }, application: String = CallHarness.application,
        peers: PeerWatch.Settings? = nil,
        _ body: (CallHarness) async throws -> Void
    ) async throws {
        let simulator: SimulatedAsterisk
        if let simulatorToUse { simulator = simulatorToUse } else { simulator = try await SimulatedAsterisk(configuration: configuration) }
        // Each harness gets its own port block so parallel tests never share a port.
        let block = nextPortBlock.add(1, ordering: .relaxed).oldValue
        let ports = (47000 + block * 100)...(47000 + block * 100 + min(mediaPorts, 100) - 1)
        let engine = try MediaEngine(bindAddress: "127.0.0.1", ports: ports, realtimePriority: nil)
        try engine.start()
        let http = HTTPClient(name: "calls-test-http")
        let url = URL(string: "http://127.0.0.1:\(simulator.port)")!
        let ari = ARIClient(
            configuration: .init(url: url, username: simulator.username, password: simulator.password),
            httpClient: http, logger: Logger(label: "test.ari"))
        var socket = WebSocketSettings.fast
        socket.url = url
        let connection = ARIEventConnection(
            baseURL: url, applications: [application], username: simulator.username, password: simulator.password,
            configuration: socket)
        var settings = CallSession.Settings(
            application: application, format: format, advertiseAddress: "127.0.0.1", jitterWindow: .milliseconds(60), defaultBot: defaultBot)
        configure(&settings)
        let service = CallService(
            ari: ari, connection: connection, engine: engine, settings: settings,
            shutdown: .init(drain: drain, remainingCalls: remainingCalls),
            bots: bots ?? BotCatalog(loopbackDelay: loopbackDelay, providers: nil, logger: Logger(label: "test.bots")),
            observer: observer, peers: peers, logger: logger)
        let harness = CallHarness(simulator: simulator, engine: engine, http: http, ari: ari, service: service)
        defer {
            engine.stop()
            http.shutdown()
            if simulatorToUse == nil { simulator.stop() }
        }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                guard await harness.waitUntil({ service.isConnected && simulator.registeredApps.contains(application) }) else {
                    throw HarnessError.notConnected
                }
                do {
                    try await body(harness)
                } catch {
                    trigger.triggerGracefulShutdown()
                    try? await group.waitForAll()
                    throw error
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    enum HarnessError: Error { case notConnected }

    /// Polls `condition` every 10 ms for up to `timeout`.
    func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    var diagnosis: String {
        "channels \(simulator.channels) bridges \(simulator.bridges) rtp \(simulator.rtpPortsInUse) leased \(engine.ports.leasedCount) active \(service.activeCalls.map { ($0.caller.id, $0.status.phase) }) outcomes \(service.counters.outcomes)"
    }

    /// Nothing of the call's is left: Asterisk side and ura side.
    var isClean: Bool {
        simulator.bridges.isEmpty && simulator.channels.isEmpty && simulator.rtpPortsInUse == 0
            && engine.ports.leasedCount == 0 && service.activeCalls.isEmpty
    }
}

enum WebSocketSettings {
    /// Quick pings and reconnects, so socket tests take fractions of a second.
    static var fast: WebSocket.WebSocketConfiguration {
        WebSocket.WebSocketConfiguration(
            url: URL(string: "ws://127.0.0.1")!, pingInterval: .milliseconds(200), idleTimeout: .seconds(2),
            handshakeTimeout: .seconds(2), backoff: .init(initial: .milliseconds(20), maximum: .milliseconds(200)))
    }
}

import WebSocket

/// Speech-like test audio: harmonics of a gliding pitch under a syllable-rate envelope.
enum TestSignal {
    static func speechLike(seconds: Double, sampleRate: Int = 8000) -> [Int16] {
        let count = Int(seconds * Double(sampleRate))
        var phase = 0.0
        return (0..<count).map { index in
            let time = Double(index) / Double(sampleRate)
            let pitch = 140 + 40 * sin(2 * .pi * 0.7 * time)
            phase += 2 * .pi * pitch / Double(sampleRate)
            let envelope = 0.5 + 0.5 * sin(2 * .pi * 4 * time)
            let voice = (1...6).reduce(0.0) { $0 + sin(Double($1) * phase) / Double($1) }
            return Int16(clamping: Int(6000 * envelope * voice))
        }
    }

    /// How `signal` comes out in `recording`, 50 ms at a time, in order: the share of chunks
    /// heard (correlation ≥ 0.9 at their best delay), the largest lasting step back of that delay
    /// (audio skipped: a lost stretch; a step back for one chunk only is a concealed stretch
    /// matched a pitch period off), and how much the delay grew over the whole signal (silence a
    /// receiver inserted, as it re-anchors playout). A line that drops nothing shows every chunk
    /// heard and no step back.
    static func continuity(of signal: [Int16], in recording: [Int16], sampleRate: Int = 8000) -> (heard: Double, largestSkip: Duration, delayGrowth: Duration) {
        let chunk = sampleRate / 20
        let r = recording.map(Double.init)
        func best(_ probe: ArraySlice<Int16>, lags: ClosedRange<Int>) -> (lag: Int, value: Double) {
            let p = probe.map(Double.init)
            var result = (lag: lags.lowerBound, value: -1.0)
            for lag in lags where lag >= 0 && lag + p.count <= r.count {
                var dot = 0.0, pe = 0.0, re = 0.0
                for i in stride(from: 0, to: p.count, by: 4) {
                    dot += p[i] * r[lag + i]
                    pe += p[i] * p[i]
                    re += r[lag + i] * r[lag + i]
                }
                let value = pe > 0 && re > 0 ? dot / (pe * re).squareRoot() : 0
                if value > result.value { result = (lag, value) }
            }
            return result
        }
        var heard = 0, total = 0
        var delays: [Int] = []
        var lastDelay: Int?
        for start in stride(from: 0, to: signal.count - chunk + 1, by: chunk) {
            let probe = signal[start..<start + chunk]
            guard probe.contains(where: { abs(Int($0)) > 300 }) else { continue }  // silence says nothing
            total += 1
            // The first chunk is looked for within a second; each next one within 120 ms before
            // and 200 ms after the last delay (a skip back or a gap beyond that leaves it unheard).
            let window = lastDelay.map { ($0 - sampleRate * 3 / 25)...($0 + sampleRate / 5) } ?? 0...sampleRate
            let found = best(probe, lags: (start + window.lowerBound)...(start + window.upperBound))
            guard found.value >= 0.9 else { continue }
            heard += 1
            lastDelay = found.lag - start
            delays.append(found.lag - start)
        }
        // Delays held for two chunks in a row, so that one chunk matched off does not count.
        let held = zip(delays, delays.dropFirst()).map { min($0, $1) }
        var largestSkip = 0
        var latest = Int.min
        for (index, delay) in held.enumerated() {
            // Back below a held delay for two chunks running: skipped.
            if latest != .min { largestSkip = max(largestSkip, latest - max(delays[index], delays[index + 1])) }
            latest = max(latest, delay)
        }
        let growth = (delays.last ?? 0) - (delays.first ?? 0)
        return (total > 0 ? Double(heard) / Double(total) : 0, .seconds(Double(largestSkip) / Double(sampleRate)),
                .seconds(Double(growth) / Double(sampleRate)))
    }

    /// Best correlation of each `windowSeconds` slice of `signal` (first and last slices left out)
    /// within `recording`, sorted. One scheduling hiccup shifts everything after it, so judging
    /// slices separately measures what a listener hears rather than alignment.
    static func windowedCorrelations(of signal: [Int16], in recording: [Int16], windowSeconds: Double, sampleRate: Int) -> [Double] {
        let size = Int(windowSeconds * Double(sampleRate))
        let starts = Array(stride(from: size, to: signal.count - 2 * size + 1, by: size))
        return starts.map { bestCorrelation(of: Array(signal[$0..<$0 + size]), in: recording) }.sorted()
    }

    /// Highest normalised cross-correlation of `probe` within `recording`, over every lag: a
    /// coarse search on every 4th sample, then a fine one around the best coarse lag.
    static func bestCorrelation(of probe: [Int16], in recording: [Int16]) -> Double {
        guard recording.count >= probe.count, !probe.isEmpty else { return 0 }
        let p = probe.map(Double.init)
        let r = recording.map(Double.init)
        func correlation(at lag: Int, step: Int) -> Double {
            var dot = 0.0, probeEnergy = 0.0, recordingEnergy = 0.0
            var i = 0
            while i < p.count {
                dot += p[i] * r[lag + i]
                probeEnergy += p[i] * p[i]
                recordingEnergy += r[lag + i] * r[lag + i]
                i += step
            }
            return probeEnergy > 0 && recordingEnergy > 0 ? dot / (probeEnergy * recordingEnergy).squareRoot() : 0
        }
        let lags = 0...(r.count - p.count)
        var coarseBest = (lag: 0, value: -1.0)
        for lag in stride(from: 0, through: lags.upperBound, by: 4) {
            let value = correlation(at: lag, step: 4)
            if value > coarseBest.value { coarseBest = (lag, value) }
        }
        let fine = max(0, coarseBest.lag - 4)...min(lags.upperBound, coarseBest.lag + 4)
        return fine.map { correlation(at: $0, step: 1) }.max() ?? 0
    }
}
