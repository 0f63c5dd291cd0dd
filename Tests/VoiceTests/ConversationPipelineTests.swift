import Foundation
import Testing
import Voice
import VoiceTesting

@Suite("ConversationPipeline", .timeLimit(.minutes(1)))
struct ConversationPipelineTests {
    static let greeting = "Hello, how can I help?"

    static func brain(reply: String, actions: [CallAction] = []) -> ScriptedBrain {
        ScriptedBrain { input, _ in
            switch input {
            case .greeting: [.text(greeting)]
            case .speech, .dtmf: [.text(reply)] + actions.map(BrainOutput.action)
            case .noInput: [.text("Are you there?")]
            case .goodbye: [.text("Goodbye.")]
            }
        }
    }

    @Test func greetsListensAndAnswersWithTimings() async throws {
        let speech = try SynthesizedSpeech.samples("I would like to book an appointment")
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["I would like to book an appointment"])
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(20))
        let brain = Self.brain(reply: "Sure. Which day suits you?")
        let run = PipelineRun.make(recognizer: recognizer, brain: brain, synthesizer: synthesizer)
        let greetingFrames = synthesizer.sampleCount(for: Self.greeting) / 160
        let sent = await run.play(callerAudio: [(.milliseconds(800), speech)], duration: .seconds(6))

        #expect(synthesizer.synthesized == [Self.greeting, "Sure.", "Which day suits you?"])
        #expect(brain.turns.map(\.input) == [.greeting, .speech("I would like to book an appointment")])
        let conversation = try #require(brain.turns.last?.conversation)
        #expect(conversation.messages.map(\.role) == [.bot, .caller])
        #expect(conversation.messages.first?.text == Self.greeting)
        // Every synthesised sample left, none twice: greeting plus both sentences.
        let expectedFrames = greetingFrames + (synthesizer.sampleCount(for: "Sure.") + 159) / 160 + (synthesizer.sampleCount(for: "Which day suits you?") + 159) / 160
        #expect(sent.count == expectedFrames)
        #expect(recognizer.samplesHeard > 16000)
        let turn = try #require(run.observer.turns.first { $0.turn == 1 })
        #expect(turn.recognizerFinal != nil, "\(turn)")
        #expect(turn.firstBrainToken != nil, "\(turn)")
        #expect(turn.firstSynthesizedAudio != nil, "\(turn)")
        let voiceToVoice = try #require(turn.voiceToVoice)
        // Zero-latency fakes: what is left is endpointing silence plus the controller's own time.
        #expect(voiceToVoice < .milliseconds(900), "voice to voice \(voiceToVoice)")
        #expect(voiceToVoice >= run.pipelineSettings.turn.endpointSilence)
    }

    @Test func aRecogniserThatEndpointsMidSentenceHearsTheRestInANewSession() async throws {
        let speech = try SynthesizedSpeech.samples("I would like to book an appointment for Monday morning")
        // Each session ends on its own after 0.6 s of audio, as Deepgram does at a pause.
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["I would like", "to book an appointment", "for Monday morning"], endpointsAfter: 30)
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(20))
        let brain = Self.brain(reply: "Sure.")
        let run = PipelineRun.make(recognizer: recognizer, brain: brain, synthesizer: synthesizer)
        _ = await run.play(callerAudio: [(.milliseconds(800), speech)], duration: .seconds(7))
        #expect(recognizer.utterances >= 2, "the words after the first endpoint reached a new session")
        let inputs = brain.turns.map(\.input)
        guard inputs.count == 2, case .speech(let heard) = inputs[1] else {
            Issue.record("the turn did not reach the brain: \(inputs)")
            return
        }
        #expect(heard.hasPrefix("I would like to book an appointment"), "\(heard)")
        #expect(synthesizer.synthesized.last == "Sure.")
    }

    @Test func aReplyCutByTheCallsEndIsReportedWithWhatWasHeard() async throws {
        let first = "Good morning."
        let long = "This is a very long answer that goes on and on about opening hours and the address of the clinic and more."
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let brain = ScriptedBrain { _, _ in [.text(first + " " + long)] }
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(sampleRate: 16000, script: ["hello"]), brain: brain, synthesizer: synthesizer)
        // The caller hangs up 3 s into the 6 s greeting, in its second sentence.
        let sent = await run.play(callerAudio: [], duration: .seconds(3), endReason: "caller_hangup")

        let turn = try #require(run.observer.turns.last)
        #expect(run.observer.turns.count == 1)
        #expect(turn.turn == 0 && turn.cutBy == "caller_hangup")
        #expect(!turn.interrupted, "a hang-up is no barge-in")
        let said = try #require(run.observer.said.last)
        #expect(said.interrupted)
        #expect(said.text.hasPrefix(first + " This") && long.hasPrefix(said.text.dropFirst(first.count + 1)), "heard: \(said.text)")
        // The second sentence was still being synthesised: what was heard of it is the share of
        // its audio that left, to a word or two.
        let heardOfLong = Double(said.text.count - first.count - 1) / Double(long.count)
        let playedOfLong = Double(sent.count * 160 - synthesizer.sampleCount(for: first)) / Double(synthesizer.sampleCount(for: long))
        #expect(abs(heardOfLong - playedOfLong) < 0.08, "heard \(heardOfLong) of the sentence, played \(playedOfLong)")
    }

    @Test func wordsTheCallEndedBeforeAnAnswerAreStillATurn() async throws {
        let speech = try SynthesizedSpeech.samples("I would like to book an appointment")
        // The final transcript would come long after the call is gone.
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["I would like to book an appointment"], framesPerWord: 5, finalDelay: .seconds(30))
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(20))
        let run = PipelineRun.make(recognizer: recognizer, brain: Self.brain(reply: "Sure."), synthesizer: synthesizer)
        _ = await run.play(callerAudio: [(.milliseconds(800), speech)], duration: .seconds(3))

        #expect(run.observer.turns.map(\.turn) == [0, 1])
        let cut = try #require(run.observer.turns.last)
        // Nobody said why the conversation stopped.
        #expect(cut.cutBy == "call_ended" && cut.input.hasPrefix("speech"))
        #expect(run.observer.turns.first?.cutBy == nil, "the greeting was heard whole")
    }

    @Test func bargeInStopsTheBotAndKeepsOnlyWhatWasHeard() async throws {
        let long = "This is a very long answer that goes on and on about opening hours and the address of the clinic and more."
        let speech = try SynthesizedSpeech.samples("wait stop please I have a question")
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["wait stop please I have a question", "thanks"])
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let brain = ScriptedBrain { input, _ in
            switch input {
            case .greeting: [.text(long)]
            default: [.text("Of course.")]
            }
        }
        let run = PipelineRun.make(recognizer: recognizer, brain: brain, synthesizer: synthesizer)
        let sent = await run.play(callerAudio: [(.seconds(2), speech)], duration: .seconds(7))

        let greetingSamples = synthesizer.sampleCount(for: long)
        let greetingFramesSent = sent.filter { $0.tick < 150 }.count
        #expect(greetingFramesSent * 160 < greetingSamples, "the greeting was cut")
        #expect(run.output.flushes >= 1)
        #expect(run.observer.bargeIns.contains(true))
        let heard = try #require(run.observer.said.first { $0.interrupted }).text
        #expect(!heard.isEmpty && long.hasPrefix(heard) && heard.count < long.count, "heard: \(heard)")
        // The caller spoke at 2 s; the bot fell silent within the barge-in decision time plus a frame or two.
        let lastBotTickBeforeReply = sent.filter { $0.tick < 175 }.map(\.tick).max() ?? 0
        let stop = Duration.milliseconds(20) * lastBotTickBeforeReply - .seconds(2)
        #expect(stop < .milliseconds(700), "bot stopped \(stop) after the caller started")
        let secondTurn = try #require(brain.turns.dropFirst().first)
        #expect(secondTurn.conversation.messages.first?.interrupted == true)
        #expect(secondTurn.conversation.messages.first?.text == heard)
        let timing = try #require(run.observer.turns.first { $0.interrupted })
        #expect(timing.bargeInStop.map { $0 < .milliseconds(700) } == true)
        #expect(timing.cutBy == "barge_in")
    }

    @Test func aShortBackchannelDoesNotInterrupt() async throws {
        let reply = "Our clinic opens at nine and closes at six on weekdays."
        let mhm = try SynthesizedSpeech.samples("mm")
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["mhm"])
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let brain = ScriptedBrain { input, _ in input == .greeting ? [.text(reply)] : [.text("Yes?")] }
        let run = PipelineRun.make(recognizer: recognizer, brain: brain, synthesizer: synthesizer)
        let sent = await run.play(callerAudio: [(.seconds(1), Array(mhm.prefix(2400)))], duration: .seconds(4))
        // The bot may pause while the sound is judged, but every frame of the reply is sent.
        #expect(sent.count * 160 >= synthesizer.sampleCount(for: reply) - 160)
        #expect(!run.observer.said.contains { $0.interrupted })
        #expect(!run.observer.bargeIns.contains(true))
    }

    @Test func aFailingBrainGivesAnApologyNotDeadAir() async throws {
        struct Down: Error {}
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let brain = ScriptedBrain(failure: Down()) { _, _ in [] }
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer)
        let sent = await run.play(callerAudio: [], duration: .seconds(2))
        #expect(synthesizer.synthesized == [ConversationSettings().apologies["en"]!])
        #expect(!sent.isEmpty)
    }

    @Test func hangUpActionWaitsForTheGoodbyeToBeHeard() async throws {
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let brain = ScriptedBrain { _, _ in [.text("Thanks for calling, goodbye."), .action(.hangUp(reason: "done"))] }
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer)
        let sent = await run.play(callerAudio: [], duration: .seconds(2))
        #expect(run.control.performed == [.hangUp(reason: "done")])
        #expect(sent.count == (synthesizer.sampleCount(for: "Thanks for calling, goodbye.") + 159) / 160)
    }

    @Test func dtmfIsInputAndOperatorTextIsSpoken() async throws {
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let brain = Self.brain(reply: "You pressed a key.")
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer)
        _ = await run.play(callerAudio: [], duration: .seconds(3), events: [
            (.milliseconds(900), { $0.dtmf("1") }),
            (.milliseconds(1500), { $0.say("An operator is joining.", interrupt: false) }),
        ])
        #expect(brain.turns.map(\.input).contains(.dtmf("1")))
        #expect(synthesizer.synthesized.contains("An operator is joining."))
        // The operator's line is a turn of its own: call records key turns by number.
        let numbers = run.observer.turns.map(\.turn)
        #expect(numbers.count >= 3 && Set(numbers).count == numbers.count, "turns \(numbers)")
    }

    @Test func aGoodbyeThatFailsStillHangsUp() async throws {
        struct Down: Error {}
        /// Greets, then fails at the goodbye.
        struct GoodbyeFails: DialogBrain {
            let name = "goodbye-fails"
            func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
                AsyncThrowingStream { continuation in
                    if case .goodbye = input { continuation.finish(throwing: Down()) } else {
                        continuation.yield(.text("Hi."))
                        continuation.finish()
                    }
                }
            }
        }
        var settings = ConversationSettings()
        settings.turn.noInputTimeout = .milliseconds(300)
        settings.turn.maximumReprompts = 0
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: GoodbyeFails(), synthesizer: synthesizer, settings: settings)
        _ = await run.play(callerAudio: [], duration: .seconds(4))
        #expect(run.control.performed.contains { if case .hangUp = $0 { true } else { false } }, "\(run.control.performed)")
    }

    @Test func keyPressesAndTranscriptsAreNeverDroppedWhenTheLoopFallsBehind() async throws {
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let brain = Self.brain(reply: "You pressed a key.")
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer)
        // Before the loop runs: a key, then more audio than the loop may fall behind by.
        run.pipeline.dtmf("5")
        for _ in 0..<150 { run.pipeline.inbound([Int16](repeating: 0, count: 160)) }
        #expect(run.pipeline.droppedFrames == 50)
        _ = await run.play(callerAudio: [], duration: .seconds(1))
        #expect(brain.turns.map(\.input).contains(.dtmf("5")))
    }

    @Test func aLongReplyCutLateKeepsTheSentencesTheOutputNoLongerTracks() async throws {
        let sentences = [
            "The clinic opens at nine.", "It closes at six.", "We are closed on Sundays.", "Parking is free for patients.",
            "The address is Main Street ten and the entrance is on the left side of the building.",
        ]
        let long = sentences.joined(separator: " ")
        let speech = try SynthesizedSpeech.samples("wait stop please I have a question")
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["wait stop please I have a question"])
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let brain = ScriptedBrain { input, _ in input == .greeting ? [.text(long)] : [.text("Yes?")] }
        // The real stream remembers the cursors of its last 16 sources; two make the point here.
        let run = PipelineRun.make(recognizer: recognizer, brain: brain, synthesizer: synthesizer, rememberedSources: 2)
        let lastSentenceStarts = Duration.milliseconds(50) * sentences.dropLast().reduce(0) { $0 + $1.count }
        _ = await run.play(callerAudio: [(lastSentenceStarts + .seconds(1), speech)], duration: lastSentenceStarts + .seconds(3))
        let heard = try #require(run.observer.said.first { $0.interrupted }).text
        #expect(heard.hasPrefix(sentences.dropLast().joined(separator: " ")) && heard.count < long.count, "heard: \(heard)")
    }
}

extension PipelineRun {
    var pipelineSettings: ConversationSettings { ConversationSettings() }
}
