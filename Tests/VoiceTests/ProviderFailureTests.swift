import Foundation
import Testing
import Voice
import VoiceTesting

/// What the caller gets when the brain or synthesis keeps failing: apologies, then the
/// operator's choice of a transfer or a goodbye.
@Suite("Provider failure policy", .timeLimit(.minutes(1)))
struct ProviderFailureTests {
    struct Down: Error {}

    static let defaults = ConversationSettings()
    static let apology = defaults.apologies["en"]!
    static let handover = defaults.handoverLines["en"]!
    static let goodbye = defaults.failureGoodbyes["en"]!

    static func settings(_ action: ProviderFailurePolicy.Action, threshold: Int = 2) -> ConversationSettings {
        var settings = ConversationSettings()
        settings.onProviderFailure = ProviderFailurePolicy(action: action, threshold: threshold)
        return settings
    }

    static func synthesizer(failure: (any Error & Sendable)? = nil) -> ScriptedSynthesizer {
        ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10), failure: failure)
    }

    /// Runs the call for `duration`, pressing each key at its time (each starts a brain turn).
    /// Returns the bot frames that left.
    static func play(
        _ run: PipelineRun, keys: [(at: Duration, digit: Character)] = [], callerAudio: [(start: Duration, samples: [Int16])] = [],
        duration: Duration
    ) async -> [(tick: Int, samples: [Int16])] {
        await run.play(callerAudio: callerAudio, duration: duration, events: keys.map { key in (key.at, { $0.dtmf(key.digit) }) })
    }

    static func frames(_ synthesizer: ScriptedSynthesizer, _ texts: String...) -> Int {
        texts.map { (synthesizer.sampleCount(for: $0) + 159) / 160 }.reduce(0, +)
    }

    @Test func theFirstFailureApologisesAndTheSecondTransfersAfterTheHandoverLine() async throws {
        let synthesizer = Self.synthesizer()
        let brain = ScriptedBrain(failure: Down()) { _, _ in [] }
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer,
            settings: Self.settings(.transfer(destination: "PJSIP/1001")))
        // The second key comes after the transfer: the bot takes no more turns.
        let sent = await Self.play(run, keys: [(.milliseconds(1500), "1"), (.milliseconds(3000), "2")], duration: .seconds(4))

        #expect(synthesizer.synthesized == [Self.apology, Self.handover])
        #expect(run.control.performed == [.transfer(destination: "PJSIP/1001")])
        let whole = Self.frames(synthesizer, Self.apology, Self.handover)
        let atTransfer = try #require(run.control.outputAtActions.first)
        #expect(atTransfer.sentFrames == whole && atTransfer.queuedFrames == 0, "the handover line was heard before the transfer")
        #expect(sent.count == whole)
        #expect(run.observer.failures == [.apology, .transfer])
        #expect(brain.turns.map(\.input) == [.greeting, .dtmf("1")])
    }

    @Test func aReplyPlayedToItsEndStartsTheCountAgain() async throws {
        let synthesizer = Self.synthesizer()
        let failing: [BrainInput] = [.greeting, .dtmf("2"), .dtmf("3")]
        let brain = ScriptedBrain(failure: Down(), failsOn: { failing.contains($0) }) { _, _ in [.text("You pressed one.")] }
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer,
            settings: Self.settings(.transfer(destination: "PJSIP/1001")))
        _ = await Self.play(
            run, keys: [(.milliseconds(1200), "1"), (.milliseconds(2000), "2"), (.milliseconds(3200), "3")], duration: .seconds(5))

        #expect(synthesizer.synthesized == [Self.apology, "You pressed one.", Self.apology, Self.handover])
        #expect(run.observer.failures == [.apology, .apology, .transfer])
        #expect(run.control.performed == [.transfer(destination: "PJSIP/1001")])
    }

    @Test(arguments: [
        (ProviderFailurePolicy.Action.transfer(destination: "from-phones,100,1"), "en-US", "en", CallAction.transfer(destination: "from-phones,100,1"), FailedReplyResponse.transfer),
        (.transfer(destination: "PJSIP/1001"), "pt-BR", "pt", .transfer(destination: "PJSIP/1001"), .transfer),
        (.hangUp, "en-US", "en", .hangUp(reason: "provider_failure"), .hangUp),
        (.hangUp, "pt-BR", "pt", .hangUp(reason: "provider_failure"), .hangUp),
    ])
    func aThresholdOfOneActsOnTheFirstFailureInTheCallsLanguage(
        policy: ProviderFailurePolicy.Action, language: String, lines: String, action: CallAction, response: FailedReplyResponse
    ) async throws {
        let synthesizer = Self.synthesizer()
        var settings = Self.settings(policy, threshold: 1)
        settings.language = language
        let line = try #require(policy == .hangUp ? settings.failureGoodbyes[lines] : settings.handoverLines[lines])
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: ScriptedBrain(failure: Down()) { _, _ in [] }, synthesizer: synthesizer,
            settings: settings)
        let sent = await Self.play(run, duration: .seconds(3))

        #expect(synthesizer.synthesized == [line])
        #expect(run.control.performed == [action])
        #expect(run.control.outputAtActions.first?.sentFrames == Self.frames(synthesizer, line))
        #expect(sent.count == Self.frames(synthesizer, line))
        #expect(run.observer.failures == [response])
    }

    @Test func apologizingGoesOnWhateverTheThreshold() async throws {
        let synthesizer = Self.synthesizer()
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: ScriptedBrain(failure: Down()) { _, _ in [] }, synthesizer: synthesizer,
            settings: Self.settings(.apologize, threshold: 1))
        _ = await Self.play(run, keys: [(.milliseconds(1200), "1"), (.milliseconds(2400), "2")], duration: .seconds(4))

        #expect(synthesizer.synthesized == [Self.apology, Self.apology, Self.apology])
        #expect(run.control.performed.isEmpty)
        #expect(run.observer.failures == [.apology, .apology, .apology])
    }

    @Test func withSynthesisDownTooTheTransferStillHappens() async throws {
        let synthesizer = Self.synthesizer(failure: Down())
        let brain = ScriptedBrain { _, _ in [.text("Hello.")] }
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer,
            settings: Self.settings(.transfer(destination: "PJSIP/1001")))
        let sent = await Self.play(run, keys: [(.milliseconds(1000), "1")], duration: .seconds(3))

        // The first failure is not apologised for (its own words had just failed to synthesise);
        // the handover line fails too, and the caller is transferred rather than left in silence.
        #expect(synthesizer.synthesized == ["Hello.", "Hello.", Self.handover])
        #expect(run.observer.failures == [.silence, .transfer])
        #expect(run.control.performed == [.transfer(destination: "PJSIP/1001")])
        #expect(sent.isEmpty)
    }

    @Test func failingClosingWordsStillEndTheCall() async throws {
        let synthesizer = Self.synthesizer()
        let brain = ScriptedBrain(failure: Down(), failsOn: { if case .goodbye = $0 { true } else { false } }) { _, _ in [.text("Hello.")] }
        var settings = ConversationSettings()
        settings.turn.noInputTimeout = .milliseconds(400)
        settings.turn.maximumReprompts = 0
        let run = PipelineRun.make(recognizer: ScriptedRecognizer(script: []), brain: brain, synthesizer: synthesizer, settings: settings)
        _ = await Self.play(run, duration: .seconds(3))

        #expect(brain.turns.map(\.input) == [.greeting, .goodbye(reason: "no_input")])
        #expect(synthesizer.synthesized == ["Hello.", Self.goodbye])
        #expect(run.control.performed == [.hangUp(reason: "no_input")])
        #expect(run.observer.failures == [.hangUp])
    }

    @Test func talkingOverTheHandoverLineDoesNotCancelTheTransfer() async throws {
        let speech = try SynthesizedSpeech.samples("hello is anybody there I need help")
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        var settings = Self.settings(.transfer(destination: "PJSIP/1001"), threshold: 1)
        settings.handoverLines["en"] = "Please hold on for a moment while I transfer you to a colleague who can help you with your request."
        let line = try #require(settings.handoverLines["en"])
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(sampleRate: 16000, script: ["hello is anybody there I need help"]),
            brain: ScriptedBrain(failure: Down()) { _, _ in [] }, synthesizer: synthesizer, settings: settings)
        _ = await Self.play(run, callerAudio: [(.milliseconds(1500), speech)], duration: .seconds(6))

        #expect(run.observer.bargeIns.contains(true))
        #expect(run.control.performed == [.transfer(destination: "PJSIP/1001")])
        let atTransfer = try #require(run.control.outputAtActions.first)
        #expect(atTransfer.sentFrames < Self.frames(synthesizer, line), "the line was cut")
        #expect(run.observer.failures == [.transfer])
    }

    @Test func aCallThatEndsDuringTheHandoverLineIsNotTransferred() async throws {
        let synthesizer = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: ScriptedBrain(failure: Down()) { _, _ in [] }, synthesizer: synthesizer,
            settings: Self.settings(.transfer(destination: "PJSIP/1001"), threshold: 1))
        // The line lasts about 2.7 s; the call (the pipeline's task) ends after 1 s.
        let sent = await Self.play(run, duration: .seconds(1))

        #expect(!sent.isEmpty && sent.count < Self.frames(synthesizer, Self.handover))
        #expect(run.control.performed.isEmpty)
    }
}
