import Foundation
import Logging
import Synchronization
import Testing
import Voice
import VoiceTesting

/// A speech-to-speech model whose answers are scripted: each `respond` is answered with the next
/// of ``answers`` (a tone of 20 ms frames and its transcript, or a call action without audio).
/// The test plays the model's turn detection with ``emit(_:)``.
final class ScriptedSpeechModel: SpeechToSpeechModel {
    enum Answer: Sendable {
        case say(String, frames: Int)
        case act(CallAction)
    }

    let name = "scripted-s2s"
    fileprivate struct State {
        var answers: [Answer]
        var continuation: AsyncStream<SpeechToSpeechEvent>.Continuation?
        var responds: [String?] = []
        var truncates: [(item: String, milliseconds: Int)] = []
        var cancels = 0
        var callerTexts: [String] = []
        var appended = 0
        var opened = 0
        var item = 0
    }
    private let state: Mutex<State>

    init(answers: [Answer]) {
        state = Mutex(State(answers: answers))
    }

    var responds: [String?] { state.withLock { $0.responds } }
    var truncates: [(item: String, milliseconds: Int)] { state.withLock { $0.truncates } }
    var cancels: Int { state.withLock { $0.cancels } }
    var callerTexts: [String] { state.withLock { $0.callerTexts } }
    var appendedFrames: Int { state.withLock { $0.appended } }

    func emit(_ event: SpeechToSpeechEvent) { _ = state.withLock { $0.continuation?.yield(event) } }

    func open(_ conversation: Conversation, sampleRate: Int) -> any SpeechToSpeechSession {
        let (events, continuation) = AsyncStream<SpeechToSpeechEvent>.makeStream()
        state.withLock {
            $0.continuation = continuation
            $0.opened += 1
        }
        return Session(model: self, events: events)
    }

    fileprivate func respond(_ instructions: String?) {
        let (answer, item, continuation) = state.withLock { state -> (Answer?, Int, AsyncStream<SpeechToSpeechEvent>.Continuation?) in
            state.responds.append(instructions)
            state.item += 1
            return (state.answers.isEmpty ? nil : state.answers.removeFirst(), state.item, state.continuation)
        }
        guard let continuation else { return }
        switch answer {
        case .say(let text, let frames)?:
            continuation.yield(.botTranscript(item: "item_\(item)", delta: text))
            for index in 0..<frames {
                let samples = (0..<160).map { Int16(6000 * sin(2 * Double.pi * 440 * Double(index * 160 + $0) / 8000)) }
                continuation.yield(.audio(item: "item_\(item)", samples: samples))
            }
        case .act(let action)?:
            continuation.yield(.action(action))
        case nil:
            break
        }
        continuation.yield(.responseDone)
    }

    fileprivate func record(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

    private struct Session: SpeechToSpeechSession {
        let model: ScriptedSpeechModel
        let events: AsyncStream<SpeechToSpeechEvent>
        func append(_ samples: [Int16]) { model.record { $0.appended += 1 } }
        func respond(instructions: String?) { model.respond(instructions) }
        func addCallerText(_ text: String) { model.record { $0.callerTexts.append(text) } }
        func cancelResponse() { model.record { $0.cancels += 1 } }
        func truncate(item: String, heardMilliseconds: Int) { model.record { $0.truncates.append((item, heardMilliseconds)) } }
        func close() async { model.record { $0.continuation?.finish() } }
    }
}

@Suite(.timeLimit(.minutes(1))) struct SpeechToSpeechConversationTests {
    struct Run {
        let conversation: SpeechToSpeechConversation
        let output = FakeOutput()
        let control: FakeControl
        let observer = RecordingObserver()

        init(model: ScriptedSpeechModel, settings: ConversationSettings = ConversationSettings()) {
            control = FakeControl(output: output)
            conversation = SpeechToSpeechConversation(
                model: model, voice: nil, output: output, control: control, converters: { NaiveConverter(from: $0, to: $1) },
                conversation: Conversation(language: "en-US"), settings: settings, observer: observer, logger: Logger(label: "test.s2s"))
        }

        func play(_ callerAudio: [(start: Duration, samples: [Int16])], for duration: Duration, during: (@Sendable () async -> Void)? = nil) async -> Int {
            let conversation = conversation
            async let side: Void = during?() ?? ()
            let sent = await CallClock.drive(
                run: { await conversation.run() }, inbound: { conversation.inbound($0) }, callEnding: { conversation.callEnding($0) },
                output: output, callerAudio: callerAudio, duration: duration, endReason: "caller_hangup")
            await side
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
        let sent = await run.play([(.milliseconds(600), Array(mhm.prefix(1600)))], for: .seconds(3)) {
            // The model's detection heard it too and judged it a turn.
            try? await Task.sleep(for: .milliseconds(1000))
            model.emit(.callerStarted)
            model.emit(.callerStopped)
        }
        #expect(sent == 100, "the whole answer played")
        #expect(model.truncates.isEmpty && model.responds == [nil], "no cut, and no answer asked for the backchannel")
    }

    @Test func aTurnTheModelDetectsIsAnsweredAndItsTranscriptRecorded() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 10), .say("Nine to five.", frames: 20)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(2)) {
            try? await Task.sleep(for: .milliseconds(500))
            model.emit(.callerStarted)
            model.emit(.callerStopped)
            model.emit(.callerTranscript("When do you open?"))
        }
        #expect(model.responds == [nil, nil])
        #expect(run.observer.said.map(\.text) == ["Hi.", "Nine to five."])
        let turn = try #require(run.observer.turns.last)
        #expect(turn.input == "speech" && turn.turn == 1 && turn.firstPacket != nil)
    }

    @Test func keyPressesAreToldToTheModelAndAnswered() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 10), .say("Option two.", frames: 10)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(1.5)) {
            try? await Task.sleep(for: .milliseconds(500))
            run.conversation.dtmf("2")
        }
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
        _ = await run.play([], for: .seconds(3)) {
            try? await Task.sleep(for: .milliseconds(400))
            model.emit(.callerStarted)
            model.emit(.callerStopped)
        }
        #expect(run.control.performed == [.hangUp(reason: "caller done")])
        #expect(run.control.outputAtActions.first?.sentFrames == 30, "the goodbye played to its end first")
        #expect(model.responds.count == 3, "the tool's result was followed by an answer")
    }

    @Test func aSessionThatFailsWithoutAVoiceIsReplacedAndCounted() async throws {
        let model = ScriptedSpeechModel(answers: [.say("Hi.", frames: 5)])
        let run = Run(model: model)
        _ = await run.play([], for: .seconds(1.5)) {
            try? await Task.sleep(for: .milliseconds(500))
            model.emit(.failed("server closed with 1011"))
        }
        #expect(run.observer.failures == [.silence], "no voice to apologise with")
        #expect(model.appendedFrames > 0)
    }
}
