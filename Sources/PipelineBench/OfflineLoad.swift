import ARI
import AsteriskSimulator
import Bots
import Calls
import Foundation
import Glibc
import HTTP
import Logging
import Media
import OfflineSpeech
import Providers
import ServiceLifecycle
import Settings
import Voice

/// Runs many calls against the offline flow bot and measures the process's CPU and memory.
///
/// The simulated Asterisk and callers run in the same process, so the figures include them:
/// an upper bound for ura's own share.
enum OfflineLoad {
    struct Usage {
        var completed: Int
        var understood: Int
        var cpuPercentPerCall: Double
        var rssMegabytesPerCall: Double
        var baseRSSMegabytes: Double
        var decoders: DecoderPool.Statistics?
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func rssMegabytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// - Parameters:
    ///   - maximumDecoders: the decoder pool's cap, which bounds memory when many talk at once.
    static func run(calls: Int, maximumDecoders: Int = 32) async throws -> Usage {
        let configuration = try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x"])
        let offline = try await OfflineEngines.load(sampleRate: 8000, decoders: 2, maximumDecoders: maximumDecoders)
        let pool = (offline.recognizer as? PocketSphinxRecognizer)?.pool
        let providers = try ProviderFactory(settings: configuration.ai, offline: offline)
        defer { providers.shutdown() }
        let understood = Understood()
        let bots = BotCatalog(
            loopbackDelay: .zero, providers: providers, offlineBrains: try BotCatalog.offlineBrains(loadingFlowsFrom: "flows"),
            observers: { _ in understood }, logger: Logger(label: "bench.voice"))
        let question = try await FliteSynthesizer(voice: .kal, sampleRate: 8000).samples(for: "opening hours")
        var usage = Usage(completed: 0, understood: 0, cpuPercentPerCall: 0, rssMegabytesPerCall: 0, baseRSSMegabytes: 0, decoders: nil)
        try await SimulatedDeployment.run(
            bots: bots, defaultBot: .flow(name: "clinic-en"), simulatorPorts: 32000...33999, mediaPorts: 46000...47999
        ) { simulator, _ in
            let baseRSS = rssMegabytes()
            let startCPU = cpuSeconds()
            let started = ContinuousClock.now
            var phones: [SyntheticCaller] = []
            for index in 0..<calls {
                phones.append(simulator.placeCall(
                    from: "\(5000 + index)", to: "100", script: [.pause(.seconds(3)), .say(question), .pause(.seconds(10)), .hangUp]))
            }
            var peakRSS = baseRSS
            while phones.contains(where: { $0.status != .ended && $0.status != .failedToDialplan }), ContinuousClock.now - started < .seconds(90) {
                peakRSS = max(peakRSS, rssMegabytes())
                try await Task.sleep(for: .milliseconds(200))
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            usage = Usage(
                completed: phones.filter { $0.status == .ended }.count, understood: understood.count,
                cpuPercentPerCall: (cpuSeconds() - startCPU) / seconds * 100 / Double(calls),
                rssMegabytesPerCall: (peakRSS - baseRSS) / Double(calls), baseRSSMegabytes: baseRSS, decoders: pool?.statistics)
        }
        return usage
    }

    /// Counts the turns in which the recogniser understood the caller.
    final class Understood: ConversationObserver {
        private let value = Synchronization.Mutex(0)
        var count: Int { value.withLock { $0 } }
        func transcript(_ text: String, isFinal: Bool) { if isFinal, !text.isEmpty { value.withLock { $0 += 1 } } }
        func botSaid(_ text: String, interrupted: Bool) {}
        func stateChanged(_ state: TurnTaking.State) {}
        func turnCompleted(_ timings: TurnTimings) {}
        func bargeIn(accepted: Bool) {}
    }
}

import Synchronization
