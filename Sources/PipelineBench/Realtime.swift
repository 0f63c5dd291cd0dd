import AsteriskSimulator
import CallsTesting

/// Voice-to-voice through the simulated Asterisk with zero-latency scripted providers, for a
/// batch recogniser (one final when the audio ends, so the fixed endpoint silence decides) and a
/// streaming one (partials word by word, so smart endpointing ends a complete question sooner).
/// ura's own share is the time from the turn being judged over to the first reply packet.
enum Realtime {
    struct Result {
        var voiceToVoice: [Double]
        var share: [Double]
        var completed: Int
    }

    static func run(calls: Int, streaming: Bool) async throws -> Result {
        let bots = ScriptedBots(
            greeting: "Hello, this is the clinic.", reply: "We open at nine.", heard: "What are your opening hours?",
            framesPerWord: streaming ? 6 : nil)
        var completed = 0
        try await SimulatedDeployment.run(bots: bots, defaultBot: .echo, simulatorPorts: 30000...31999, mediaPorts: 44000...45999) { simulator, _ in
            let question = utterance(seconds: 1.2)
            // A single call gives one turn; a few in a row give a distribution worth a p95.
            for _ in 0..<(calls == 1 ? 10 : 1) {
                var phones: [SyntheticCaller] = []
                for index in 0..<calls {
                    phones.append(simulator.placeCall(
                        from: "\(5000 + index)", to: "100", script: [.pause(.milliseconds(2500)), .say(question), .pause(.seconds(3)), .hangUp]))
                    if index % 20 == 19 { try await Task.sleep(for: .milliseconds(100)) }
                }
                for phone in phones where await phone.waitUntilEnded(timeout: .seconds(60)) { completed += 1 }
            }
        }
        let turns = bots.observer.turns.filter { $0.turn >= 1 }
        return Result(
            voiceToVoice: turns.compactMap(\.voiceToVoice).map(milliseconds), share: turns.compactMap(\.controllerTime).map(milliseconds),
            completed: completed)
    }
}
