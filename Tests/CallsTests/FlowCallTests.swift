import Audio
import AsteriskSimulator
import Bots
import CallsTesting
import Foundation
import Logging
import Media
import OfflineSpeech
import Providers
import Settings
import Testing
import Voice
@testable import Calls

/// The offline flow bot, as `ura serve` builds it: flows, pocketsphinx, flite/espeak-ng.
enum OfflineFlowBots {
    static func make(turn: TurnSettings = TurnSettings(), flows: URL = repository.appending(path: "flows")) async throws -> (BotCatalog, ProviderFactory, TurnLog) {
        let configuration = try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x"])
        let providers = try ProviderFactory(settings: configuration.ai, offline: try await OfflineEngines.load(sampleRate: 8000))
        var conversation = ConversationSettings()
        conversation.turn = turn
        let log = TurnLog()
        let bots = BotCatalog(
            loopbackDelay: .zero, providers: providers, conversation: conversation,
            offlineBrains: try BotCatalog.offlineBrains(loadingFlowsFrom: flows.path), observers: { _ in log }, logger: Logger(label: "test.flow"))
        return (bots, providers, log)
    }

    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    static func flow(_ name: String) -> BotChoice { .flow(name: (name as NSString).deletingPathExtension) }

    /// Transcribes phone audio (8 kHz) with the grammar recogniser, as a check of what was said.
    static func transcribe(_ samples: [Int16], phrases: [String]) async throws -> String {
        let pool = DecoderPool(warmUpAudio: try await PocketSphinxRecognizer.warmUpAudio())
        let recognizer = PocketSphinxRecognizer(pool: pool)
        let upsampler = try Resampler(from: .hz8000, to: .hz16000)
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        for start in stride(from: 0, to: samples.count, by: 160) {
            feed.yield(upsampler.process(Array(samples[start..<min(start + 160, samples.count)])))
        }
        feed.finish()
        var text = ""
        for try await transcript in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US", phrases: phrases)) where transcript.isFinal {
            text = transcript.text
        }
        return text
    }
}

@Suite("Flow calls through the simulator", .timeLimit(.minutes(3)))
struct FlowCallTests {
    /// Also from a phone as real lines have them (a 30 ms ptime, silence suppression and a
    /// timestamp jump in the middle of the question): the detector, recogniser and barge-in see
    /// the same 20 ms frames whatever the packetisation.
    @Test(arguments: [
        PhoneLine(),
        PhoneLine(ptime: .milliseconds(30), timestampJumps: [.init(at: .milliseconds(3300), by: -56400)], silenceSuppression: true),
    ])
    func englishCallerAsksForHoursBySpeechAndSaysGoodbye(line: PhoneLine) async throws {
        let (bots, providers, log) = try await OfflineFlowBots.make()
        defer { providers.shutdown() }
        let question = try await FliteSynthesizer(voice: .kal, sampleRate: 8000).samples(for: "opening hours")
        let goodbye = try await FliteSynthesizer(voice: .kal, sampleRate: 8000).samples(for: "no thanks")
        try await CallHarness.run(defaultBot: OfflineFlowBots.flow("clinic-en.yaml"), bots: bots) { harness in
            // Callers of an IVR talk over its menu: that is a barge-in, then a turn.
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100",
                script: [.pause(.seconds(3)), .mark("asked"), .say(question), .pause(.seconds(14)), .say(goodbye), .pause(.seconds(15))],
                line: line)
            #expect(await phone.waitUntilEnded(timeout: .seconds(60)))
            #expect(await harness.waitUntil { harness.service.counters.outcomes["completed"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(log.acceptedBargeIns >= 1)
            // What the caller heard after asking, transcribed: the hours.
            let recording = phone.recording
            let asked = try #require(recording.marks["asked"])
            let replyStart = try #require(recording.chunks.first { chunk in
                chunk.arrival > asked + .milliseconds(1500)
                    && recording.samples[chunk.sampleOffset..<chunk.sampleOffset + chunk.sampleCount].contains { abs(Int($0)) > 1000 }
            })
            let reply = Array(recording.samples[replyStart.sampleOffset..<min(recording.samples.count, replyStart.sampleOffset + 8000 * 3 / 2)])
            let heard = try await OfflineFlowBots.transcribe(
                reply, phrases: ["we are open monday to friday", "sorry i did not understand", "riverside clinic is at", "one moment please"])
            #expect(heard == "we are open monday to friday", "the caller heard: \(heard)")
        }
    }

    /// The echo bot offline repeats free speech: utterances without expected phrases go to
    /// decoders with pocketsphinx's language model (rough on phone audio, but words, not silence).
    @Test func theOfflineEchoBotRepeatsFreeSpeech() async throws {
        let (bots, providers, log) = try await OfflineFlowBots.make()
        defer { providers.shutdown() }
        let sentence = try await FliteSynthesizer(voice: .slt, sampleRate: 8000).samples(for: "I would like to book an appointment for tomorrow morning")
        try await CallHarness.run(defaultBot: .echo, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(4)), .say(sentence), .pause(.seconds(8)), .hangUp])
            #expect(await phone.waitUntilEnded(timeout: .seconds(40)))
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let echoed = try #require(log.said.first { $0.hasPrefix("You said:") }, "\(log.said)")
        let words = Set(echoed.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        #expect(words.intersection(["book", "appointment", "tomorrow", "morning"]).count >= 2, "\(echoed)")
    }

    @Test func portugueseCallerReachesTheFrontDeskByKeypad() async throws {
        let (bots, providers, _) = try await OfflineFlowBots.make()
        defer { providers.shutdown() }
        try await CallHarness.run(defaultBot: OfflineFlowBots.flow("clinica.yaml"), bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(2)), .dtmf("0"), .pause(.seconds(20))])
            #expect(await phone.waitUntilEnded(timeout: .seconds(40)))
            #expect(phone.transferTarget == "PJSIP/1001")
            #expect(await harness.waitUntil { harness.service.counters.outcomes["transferred"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    /// A call variable overrides a flow variable; it must not retarget the flow's transfer
    /// (`Stasis(ura,recepcao=...)`, an originate's `variables`).
    @Test func aCallVariableCannotRetargetAFlowsTransfer() async throws {
        let (bots, providers, _) = try await OfflineFlowBots.make()
        defer { providers.shutdown() }
        let allowList = TransferAllowList(named: [.endpoint(technology: "PJSIP", resource: "1001"), .endpoint(technology: "PJSIP", resource: "1002")])
        try await CallHarness.run(defaultBot: OfflineFlowBots.flow("clinica.yaml"), bots: bots, configure: { $0.transferAllowList = allowList }) { harness in
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", stasisArgs: ["recepcao=PJSIP/00900123456"], script: [.pause(.seconds(2)), .dtmf("0"), .pause(.seconds(20))])
            #expect(await phone.waitUntilEnded(timeout: .seconds(40)))
            #expect(phone.transferTarget == nil)
            #expect(await harness.waitUntil { harness.service.counters.outcomes["failed"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    @Test func aSilentCallerIsRepromptedThenPolitelyHungUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-silent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let flow = directory.appending(path: "silent.yaml")
        try """
            flow: silent-test
            languages: [en-US]
            start: menu
            defaults:
              no_input:
                say: I did not hear anything.
                retries: 1
                then:
                  - say: Goodbye.
                  - hangup: no input
            goodbye: Bye.
            states:
              menu:
                prompt: Say yes.
                inputs:
                  - phrases: [yes]
                    hangup: done
            """.write(to: flow, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: directory) }
        var turn = TurnSettings()
        turn.noInputTimeout = .milliseconds(1500)
        let (bots, providers, _) = try await OfflineFlowBots.make(turn: turn, flows: directory)
        defer { providers.shutdown() }
        try await CallHarness.run(defaultBot: .flow(name: "silent"), bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(await harness.waitUntil { harness.service.counters.outcomes["completed"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }
}
