import Foundation
import Logging
import Synchronization
import Testing
import Voice
import VoiceTesting

@Suite(.timeLimit(.minutes(1))) struct SpeechToSpeechConversationTests {
    /// A conversation in virtual time (``VirtualTime``).
    struct Run {
        let conversation: SpeechToSpeechConversation
        let output: FakeOutput
        let control: FakeControl
        let observer = RecordingObserver()
        let time: VirtualTime

        init(model: ScriptedSpeechModel, settings: ConversationSettings = ConversationSettings(), answerTimeout: Duration = .seconds(8)) {
            let time = VirtualTime()
            self.time = time
            output = FakeOutput(clock: time)
            control = FakeControl(output: output)
            conversation = SpeechToSpeechConversation(
                model: model, voice: nil, output: output, control: control, converters: { NaiveConverter(from: $0, to: $1) },
                conversation: Conversation(language: "en-US"), settings: settings, observer: observer, answerTimeout: answerTimeout,
                clock: time, executor: time.executor, logger: Logger(label: "test.s2s"))
        }

        /// Plays the call for `duration`, doing each of `events` at its time; returns the bot frames sent.
        func play(
            _ callerAudio: [(start: Duration, samples: [Int16])], for duration: Duration, events: [(at: Duration, act: @Sendable () -> Void)] = []
        ) async -> Int {
            let conversation = conversation
            let sent = await CallClock.drive(
                run: { await conversation.run() }, inbound: { conversation.inbound($0) }, callEnding: { conversation.callEnding($0) },
                output: output, time: time, callerAudio: callerAudio, duration: duration, endReason: "caller_hangup", events: events)
            return sent.count
        }
    }

    @Test func theGreetingIsAskedForAndPlayedAndTheCallersAudioGoesToTheModel() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hello, how can I help?", frames: 40)])
        let run = Run(model: model)
        let sent = await run.play([], for: .seconds(2))
        #expect(sent == 40)
        #expect(model.responds == [nil])
        #expect(model.appendedFrames >= 90, "every caller frame went to the model")
        #expect(run.observer.said.map(\.text) == ["Hello, how can I help?"])
        #expect(run.observer.turns.first?.turn == 0 && run.observer.turns.first?.input == "greeting")
    }

    @Test func speechOverTheAnswerCutsItAndTheModelIsToldTheHeardMillisecond() async throws {
        let speech = try SynthesizedSpeech.samples("wait stop please I have a question")
        let model = ScriptedSpeechModel(answers: [.say("We open at nine in the morning and close at six in the evening.", frames: 200)])
        let run = Run(model: model)
        let sent = await run.play([(.milliseconds(1000), speech)], for: .seconds(3))
        let truncate = try #require(model.truncates.first)
        #expect(truncate.item == "item_1")
        #expect(truncate.milliseconds == sent * 20, "the model is told exactly what left for the wire: \(sent) frames")
        #expect(sent < 120, "cut soon after the caller started talking")
        #expect(run.observer.bargeIns == [true])
        let heard = try #require(run.observer.said.first)
        #expect(heard.interrupted && "We open at nine in the morning and close at six in the evening.".hasPrefix(heard.text))
        #expect(run.observer.turns.first?.cutBy == "barge_in")
    }

    @Test func aShortSoundOverTheAnswerIsNoTurnAndTheAnswerPlaysOn() async throws {
        let mhm = try SynthesizedSpeech.samples("mm")
        let model = ScriptedSpeechModel(answers: [.say("Our clinic is on Main Street, next to the pharmacy.", frames: 100)])
        let run = Run(model: model)
        let sent = await run.play([(.milliseconds(600), Array(mhm.prefix(1600)))], for: .seconds(3), events: [
            // The model's detection heard it too and judged it a turn.
            (.milliseconds(1000), {
                model.emit(.callerStarted)
                model.emit(.callerStopped)
            }),
        ])
        #expect(sent == 100, "the whole answer played")
        #expect(model.truncates.isEmpty && model.responds == [nil], "no cut, and no answer asked for the backchannel")
    }

    @Test func aTurnTheModelDetectsIsAnsweredAndItsTranscriptRecorded() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 10), .say("Nine to five.", frames: 20)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(2), events: [
            (.milliseconds(500), {
                model.emit(.callerStarted)
                model.emit(.callerStopped)
                model.emit(.callerTranscript("When do you open?"))
            }),
        ])
        #expect(model.responds == [nil, nil])
        #expect(run.observer.said.map(\.text) == ["Hi.", "Nine to five."])
        let turn = try #require(run.observer.turns.last)
        #expect(turn.input == "speech" && turn.turn == 1 && turn.firstPacket != nil)
    }

    @Test func keyPressesAreToldToTheModelAndAnswered() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 10), .say("Option two.", frames: 10)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(1.5), events: [
            (.milliseconds(500), {
                run.conversation.dtmf("2")
            }),
        ])
        #expect(model.callerTexts == ["[DTMF 2]"])
        #expect(model.responds.count == 2)
    }

    @Test func aSilentCallerIsPromptedThenToldGoodbyeAndHungUpOn() async throws {
        var settings = ConversationSettings()
        settings.turn.noInputTimeout = .milliseconds(500)
        settings.turn.maximumReprompts = 1
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 5), .say("Are you there?", frames: 5), .say("Goodbye.", frames: 5)])
        let run = Run(model: model, settings: settings)
        _ = await run.play([], for: .seconds(4))
        #expect(model.responds.count == 3)
        #expect(model.responds.dropFirst().allSatisfy { $0 != nil }, "the reprompt and the goodbye are steered")
        #expect(run.control.performed == [.hangUp(reason: "no_input")])
        #expect(run.control.outputAtActions.first?.queuedFrames == 0, "after the goodbye was heard")
    }

    @Test func theModelsHangUpComesAfterItsLastWords() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 5), .act(.hangUp(reason: "caller done")), .say("Bye now.", frames: 25)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(3), events: [
            (.milliseconds(400), {
                model.emit(.callerStarted)
                model.emit(.callerStopped)
            }),
        ])
        #expect(run.control.performed == [.hangUp(reason: "caller done")])
        #expect(run.control.outputAtActions.first?.sentFrames == 30, "the goodbye played to its end first")
        #expect(model.responds.count == 3, "the tool's result was followed by an answer")
    }

    @Test func aSessionThatFailsWithoutAVoiceIsReplacedAndCounted() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 5)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(1.5), events: [
            (.milliseconds(500), {
                model.emit(.failed("server closed with 1011"))
            }),
        ])
        #expect(run.observer.failures == [.silence], "no voice to apologise with")
        #expect(model.appendedFrames > 0)
    }

    @Test func aModelThatNeverAnswersIsAFailedSessionNotASilentCall() async throws {
        var settings = ConversationSettings()
        settings.onProviderFailure = ProviderFailurePolicy(action: .hangUp, threshold: 1)
        // The greeting is asked for and never comes.
        let model = ScriptedSpeechModel(answers: [], firstAudioDelay: .seconds(60))
        let run = Run(model: model, settings: settings, answerTimeout: .milliseconds(500))
        _ = await run.play([], for: .seconds(2))
        #expect(run.observer.failures == [.hangUp])
        #expect(run.control.performed == [.hangUp(reason: "provider_failure")])
    }

    @Test func aKeyPressBeforeTheAnswerStartsCancelsItAndItsAudioIsNeverPlayed() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hello.", frames: 30), .say("Option five.", frames: 12)], firstAudioDelay: .milliseconds(300))
        let run = Run(model: model)
        let sent = await run.play([], for: .seconds(1.5), events: [
            (.milliseconds(100), {
                run.conversation.dtmf("5")
            }),
        ])
        #expect(model.cancels == 1)
        #expect(sent == 12, "only the answer to the key press played")
        #expect(run.observer.said.map(\.text) == ["Option five."])
    }

    @Test func aModelTalkedIntoAnEndlessTranscriptIsKeptToTheLimit() async throws {
        let model = ScriptedSpeechModel(answers: [.say(String(repeating: "blah ", count: 20_000), frames: 10)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(1))
        let said = try #require(run.observer.said.first)
        #expect(said.text.utf8.count <= 16_000 && said.text.hasPrefix("blah blah"))
    }
}
