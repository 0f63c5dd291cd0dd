import AsteriskSimulator
import CallsTesting

/// Voice-to-voice through the simulated Asterisk with scripted providers of fixed, known
/// latency, in each shape a conversational bot takes: a batch recogniser (one final when the
/// audio ends, so the fixed endpoint silence decides), a streaming one (partials word by word,
/// so smart endpointing ends a complete question sooner), and a speech-to-speech model (its own
/// turn detection, 500 ms of silence as OpenAI's default). ura's own share is the time from the
/// turn being judged over to the first reply packet, less the providers' fixed latencies on the
/// way (the recogniser's final is part of judging the turn over, so it is not in it). `zero` runs streaming with instant providers: the floor a caller can get.
enum Realtime {
    enum Mode: String, CaseIterable {
        case batch, streaming, speechToSpeech = "s2s", streamingZero = "streaming_zero"
    }

    /// The providers' fixed latencies: what real streaming services take, roughly.
    static let latencies = ScriptedBots.Latencies(
        recognizerFinal: .milliseconds(100), brainFirstToken: .milliseconds(200), synthesizerFirstAudio: .milliseconds(100),
        modelFirstAudio: .milliseconds(300))

    struct Result {
        var voiceToVoice: [Double]
        var share: [Double]
        var completed: Int
    }

    static func run(calls: Int, mode: Mode) async throws -> Result {
        let latencies = mode == .streamingZero ? ScriptedBots.Latencies() : Self.latencies
        // The turn is judged over once the recogniser's final is in (its latency is before that
        // point); the model is asked as soon as its turn detection says the caller is done.
        let providersTime = mode == .speechToSpeech ? latencies.modelFirstAudio : latencies.brainFirstToken + latencies.synthesizerFirstAudio
        let bots = ScriptedBots(
            greeting: "Hello, this is the clinic.", reply: "We open at nine.", heard: "What are your opening hours?",
            framesPerWord: mode == .batch ? nil : 6, latencies: latencies,
            mode: mode == .speechToSpeech ? .speechToSpeech(turnSilence: .milliseconds(500)) : .pipeline)
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
        let turns = bots.observer.turns.filter { $0.turn >= 1 && $0.input == "speech" }
        return Result(
            voiceToVoice: turns.compactMap(\.voiceToVoice).map(milliseconds),
            share: turns.compactMap(\.controllerTime).map { milliseconds($0 - providersTime) },
            completed: completed)
    }
}
