import AsteriskSimulator
import Calls
import CallsTesting
import Foundation
import Media
import Voice

/// Long calls: many conversations for minutes on end, measured minute by minute, so whatever
/// gets worse with a call's age (CPU per tick, memory, send timing, reply latency) shows as a
/// trend between the first and the last minute.
///
/// The callers talk in cycles — a question and the whole answer, or a question they cut short —
/// starting at random phases so the calls do not move in step. They keep no recording.
enum Soak {
    struct Minute {
        var cpuPercent: Double
        var rssMegabytes: Double
        var sendErrorP99Milliseconds: Double
        var controllerP95Milliseconds: Double
        var turns: Int
    }

    static func run(calls: Int, minutes: Int) async throws -> [Minute] {
        let bots = ScriptedBots(greeting: "Hello, this is the clinic.", reply: "We are open from nine to six.")
        var result: [Minute] = []
        try await SimulatedDeployment.run(
            bots: bots, defaultBot: .echo, simulatorPorts: 34000...35999, mediaPorts: 48000...49999
        ) { simulator, engine in
            let question = utterance(seconds: 1.0)
            let interruption = utterance(seconds: 1.2)
            let cycles = minutes * 60 * 10 / 45 + 2
            var phones: [SyntheticCaller] = []
            for index in 0..<calls {
                var script: [CallerStep] = [.pause(.milliseconds(2500 + Int.random(in: 0..<5000)))]
                for cycle in 0..<cycles {
                    if cycle % 3 == 2 {
                        // Talks over the answer 0.4 s into it, then hears the next one out.
                        script += [.say(question), .pause(.milliseconds(1000)), .say(interruption), .pause(.milliseconds(3200))]
                    } else {
                        script += [.say(question), .pause(.milliseconds(3200))]
                    }
                }
                phones.append(simulator.placeCall(
                    from: "\(6000 + index)", to: "100", script: script + [.hangUp], recordsAudio: false))
                if index % 20 == 19 { try await Task.sleep(for: .milliseconds(100)) }
            }
            var cpu = OfflineLoad.cpuSeconds()
            var sendErrors = engine.pacer.stats.sendError
            var turnsSeen = bots.observer.turns.count
            for _ in 0..<minutes {
                try await Task.sleep(for: .seconds(60))
                let nowCPU = OfflineLoad.cpuSeconds()
                let nowSendErrors = engine.pacer.stats.sendError
                let turns = bots.observer.turns
                let window = turns[min(turnsSeen, turns.count)...].compactMap(\.controllerTime).map(milliseconds)
                result.append(Minute(
                    cpuPercent: (nowCPU - cpu) / 60 * 100, rssMegabytes: OfflineLoad.rssMegabytes(),
                    sendErrorP99Milliseconds: Double(nowSendErrors.since(sendErrors).percentile(0.99)) / 1e6,
                    controllerP95Milliseconds: quantile(window, 0.95), turns: turns.count - turnsSeen))
                (cpu, sendErrors, turnsSeen) = (nowCPU, nowSendErrors, turns.count)
                let minute = result[result.count - 1]
                print(String(
                    format: "minute=%d cpu_pct=%.0f rss_mb=%.0f send_p99_ms=%.2f controller_p95_ms=%.1f turns=%d",
                    result.count, minute.cpuPercent, minute.rssMegabytes, minute.sendErrorP99Milliseconds,
                    minute.controllerP95Milliseconds, minute.turns))
            }
            for phone in phones { phone.hangUp() }
            for phone in phones { _ = await phone.waitUntilEnded(timeout: .seconds(10)) }
        }
        return result
    }
}
