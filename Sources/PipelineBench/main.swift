import ARI
import AsteriskSimulator
import Calls
import CallsTesting
import Foundation
import HTTP
import Logging
import Media
import ServiceLifecycle
import Voice

// Conversation timing through the simulated Asterisk with zero-latency scripted providers:
// ura's own time from the end of a turn to the first reply packet, and how long the bot keeps
// talking after a caller starts to interrupt it — at 1 call and at many.
// Usage: PipelineBench [calls...]            (default: 1 200)
//        PipelineBench offline [calls...]    the offline flow bot's CPU and memory per call (default: 1 50)
//        PipelineBench soak [calls] [minutes] long calls, minute by minute (default: 50 5)
//        PipelineBench realtime [calls...]   voice-to-voice: batch, streaming, speech-to-speech (default: 1 100)

let offlineMode = CommandLine.arguments.dropFirst().first == "offline"
let realtimeMode = CommandLine.arguments.dropFirst().first == "realtime"
let counts = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let runs = counts.isEmpty ? (offlineMode ? [1, 50] : realtimeMode ? [1, 100] : [1, 200]) : counts
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .error
    return handler
}
if CommandLine.arguments.dropFirst().first == "soak" {
    let numbers = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    let calls = numbers.first ?? 50
    let minutes = max(2, numbers.dropFirst().first ?? 5)
    let trend = try await Soak.run(calls: calls, minutes: minutes)
    let (first, last) = (trend[0], trend[trend.count - 1])
    print(String(
        format: "soak: calls=%d minutes=%d cpu_pct_first=%.0f cpu_pct_last=%.0f rss_mb_first=%.0f rss_mb_last=%.0f send_p99_ms_first=%.2f send_p99_ms_last=%.2f controller_p95_ms_first=%.1f controller_p95_ms_last=%.1f turns=%d",
        calls, minutes, first.cpuPercent, last.cpuPercent, first.rssMegabytes, last.rssMegabytes, first.sendErrorP99Milliseconds,
        last.sendErrorP99Milliseconds, first.controllerP95Milliseconds, last.controllerP95Milliseconds, trend.reduce(0) { $0 + $1.turns }))
    exit(0)
}

/// Speech-like caller audio: voiced harmonics under a syllable envelope, which the VAD calls speech.
func utterance(seconds: Double) -> [Int16] {
    var phase = 0.0
    return (0..<Int(seconds * 8000)).map { index in
        let time = Double(index) / 8000
        phase += 2 * .pi * (130 + 30 * sin(2 * .pi * 0.9 * time)) / 8000
        let envelope = 0.55 + 0.45 * sin(2 * .pi * 3.5 * time)
        return Int16(clamping: Int(7000 * envelope * (1...5).reduce(0.0) { $0 + sin(Double($1) * phase) / Double($1) }))
    }
}

func quantile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

struct Result {
    var calls: Int
    var controller: [Double]
    var bargeIn: [Double]
    var completed: Int
}

func run(calls: Int) async throws -> Result {
    // Greeting ~1.7 s, reply ~3.4 s of tone: long enough to be interrupted.
    let bots = ScriptedBots(
        greeting: "Hello, this is the clinic.",
        reply: "Our opening hours are from nine to six on weekdays and nine to one on Saturdays.")
    var bargeIns: [Double] = []
    var completed = 0
    try await SimulatedDeployment.run(bots: bots, defaultBot: .echo, simulatorPorts: 30000...31999, mediaPorts: 44000...45999) { simulator, _ in
        let question = utterance(seconds: 1.0)
        let interruption = utterance(seconds: 1.2)
        // A single call gives one turn; a few in a row give a distribution worth a p95.
        for _ in 0..<(calls == 1 ? 10 : 1) {
            var phones: [SyntheticCaller] = []
            for index in 0..<calls {
                // Greeting, question, the reply starts, the caller talks over it, hangs up.
                phones.append(simulator.placeCall(
                    from: "\(3000 + index)", to: "100",
                    script: [
                        .pause(.milliseconds(2500)), .say(question), .pause(.milliseconds(2000)),
                        .mark("interrupt"), .say(interruption), .pause(.seconds(2)), .hangUp,
                    ]))
                if index % 20 == 19 { try await Task.sleep(for: .milliseconds(100)) }
            }
            for phone in phones {
                guard await phone.waitUntilEnded(timeout: .seconds(60)) else { continue }
                completed += 1
                let recording = phone.recording
                guard let mark = recording.marks["interrupt"] else { continue }
                // The last packet of bot audio the caller received after they began talking over it.
                let last = recording.chunks
                    .filter { $0.arrival >= mark && $0.arrival < mark + .seconds(2) }
                    .filter { chunk in recording.samples[chunk.sampleOffset..<chunk.sampleOffset + chunk.sampleCount].contains { abs(Int($0)) > 1500 } }
                    .map(\.arrival).max()
                if let last { bargeIns.append(milliseconds(last - mark)) }
            }
        }
    }
    let controller = bots.observer.turns.filter { $0.turn >= 1 }.compactMap(\.controllerTime).map(milliseconds)
    return Result(calls: calls, controller: controller, bargeIn: bargeIns, completed: completed)
}

var fields: [String] = []
if realtimeMode {
    for calls in runs {
        for kind in Realtime.Mode.allCases {
            let result = try await Realtime.run(calls: calls, mode: kind)
            let mode = kind.rawValue
            print("mode=\(mode) " + String(
                format: "calls=%d completed=%d voice_to_voice_p50_ms=%.0f voice_to_voice_p95_ms=%.0f share_p50_ms=%.1f share_p95_ms=%.1f turns=%d",
                calls, result.completed, quantile(result.voiceToVoice, 0.5), quantile(result.voiceToVoice, 0.95),
                quantile(result.share, 0.5), quantile(result.share, 0.95), result.share.count))
            fields.append("\(mode)_" + String(format: "calls%d_v2v_p50_ms=%.0f ", calls, quantile(result.voiceToVoice, 0.5))
                + "\(mode)_" + String(format: "calls%d_share_p95_ms=%.1f", calls, quantile(result.share, 0.95)))
        }
    }
    print("realtime: " + fields.joined(separator: " "))
    exit(0)
}
if offlineMode {
    for calls in runs {
        let usage = try await OfflineLoad.run(calls: calls)
        let decoders = usage.decoders
        let longestWait = (decoders?.longestWait ?? .zero) / .milliseconds(1)
        print(String(
            format: "calls=%d completed=%d understood=%d cpu_pct_per_call=%.2f rss_mb_per_call=%.1f rss_mb_base=%.0f decoders_most_loaded=%d decoder_waits=%d decoder_longest_wait_ms=%.0f",
            calls, usage.completed, usage.understood, usage.cpuPercentPerCall, usage.rssMegabytesPerCall, usage.baseRSSMegabytes,
            decoders?.mostLoaded ?? 0, decoders?.waits ?? 0, longestWait))
        fields.append(String(
            format: "offline_calls%d_understood=%d/%d offline_calls%d_cpu_pct_per_call=%.2f offline_calls%d_rss_mb_per_call=%.1f offline_calls%d_decoder_longest_wait_ms=%.0f",
            calls, usage.understood, calls, calls, usage.cpuPercentPerCall, calls, usage.rssMegabytesPerCall, calls, longestWait))
    }
    print("pipeline: " + fields.joined(separator: " "))
    exit(0)
}
for calls in runs {
    let result = try await run(calls: calls)
    let line = String(
        format: "calls=%d completed=%d controller_p50_ms=%.1f controller_p95_ms=%.1f bargein_p50_ms=%.0f bargein_p95_ms=%.0f turns=%d interruptions=%d",
        result.calls, result.completed, quantile(result.controller, 0.5), quantile(result.controller, 0.95),
        quantile(result.bargeIn, 0.5), quantile(result.bargeIn, 0.95), result.controller.count, result.bargeIn.count)
    print(line)
    fields.append(String(
        format: "calls%d_controller_p95_ms=%.1f calls%d_bargein_p95_ms=%.0f", calls, quantile(result.controller, 0.95), calls,
        quantile(result.bargeIn, 0.95)))
}
print("pipeline: " + fields.joined(separator: " "))
