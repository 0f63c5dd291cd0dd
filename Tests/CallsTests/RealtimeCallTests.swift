import Audio
import Bots
import CallOperations
import OperatorAPI
import CallRecords
import CallsTesting
import Foundation
import Logging
import OfflineSpeech
import Providers
import Settings
import Testing
@testable import Calls

/// `URA_BOT=realtime` through the simulator against a fake OpenAI Realtime server: the model
/// hears and speaks in µ-law, ura asks for each answer, cuts an answer the caller talks over and
/// tells the model the millisecond the caller heard up to, performs the tools the model calls,
/// and apologises and carries on when the session drops.
@Suite(.timeLimit(.minutes(3))) struct RealtimeCallTests {
    static let longAnswer = "We open at nine in the morning and close at six in the evening, every day except Sunday."

    static func answers(_ said: String?, _ instructions: String?, _ afterTool: Bool) -> FakeRealtime.Answer {
        if afterTool { return .say("Transferring you now.") }
        if instructions != nil { return .say("Are you still there?") }
        switch said {
        case nil: return .say("Hello! How can I help you?")
        case "What time do you open?": return .say(longAnswer)
        case "Please transfer me to a person.": return .callTool(name: "transfer_call", arguments: #"{"destination":"PJSIP/1002"}"#)
        default: return .say("Sorry, we are closed on Sundays.")
        }
    }

    static func bots(_ fake: FakeRealtime, extra: [String: String] = [:]) throws -> (BotCatalog, ProviderFactory, TurnLog) {
        let configuration = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "realtime", "OPENAI_API_KEY": "sk-test",
            "OPENAI_REALTIME_URL": fake.url, "TTS_PROVIDERS": "offline",
            "PROVIDER_PRICES": "openai-realtime-audio.prompt_per_mtok=32,openai-realtime-audio.completion_per_mtok=64",
        ].merging(extra) { _, new in new })
        let providers = try ProviderFactory(
            settings: configuration.ai, offline: .init(synthesizer: try FliteSynthesizer(voice: .kal, sampleRate: 8000)))
        let log = TurnLog()
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, observers: { _ in log }, logger: Logger(label: "test.realtime"))
        return (bots, providers, log)
    }

    static func speech(_ text: String) async throws -> [Int16] {
        try await FliteSynthesizer(voice: .kal, sampleRate: 8000).samples(for: text)
    }

    @Test func aCallerWhoTalksOverTheAnswerCutsItAndTheModelIsToldWhatTheyHeard() async throws {
        let fake = try await FakeRealtime(transcripts: ["What time do you open?", "Wait, on Sundays?"], answer: Self.answers)
        defer { fake.stop() }
        let (bots, providers, log) = try Self.bots(fake)
        defer { providers.shutdown() }
        let question = try await Self.speech("what time do you open")
        let interruption = try await Self.speech("wait what about on sundays")
        try await CallHarness.run(defaultBot: .realtime, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [
                .pause(.seconds(3)), .mark("asked"), .say(question), .pause(.milliseconds(1800)), .mark("interrupt"), .say(interruption),
                .pause(.seconds(6)), .hangUp,
            ])
            #expect(await phone.waitUntilEnded(timeout: .seconds(40)))
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")

            let events = fake.clientEvents
            let update = try #require(events.first { $0["type"] as? String == "session.update" }?["session"] as? [String: Any])
            let audio = try #require(update["audio"] as? [String: Any])
            let input = try #require(audio["input"] as? [String: Any])
            #expect((input["format"] as? [String: Any])?["type"] as? String == "audio/pcmu", "G.711 natively on a µ-law line")
            let detection = try #require(input["turn_detection"] as? [String: Any])
            #expect(detection["create_response"] as? Bool == false && detection["interrupt_response"] as? Bool == false)
            #expect((update["tools"] as? [[String: Any]])?.map { $0["name"] as? String } == ["transfer_call", "end_call", "send_dtmf"])

            // The answer was cut and the model told where: at what reached the caller's ear.
            let answer = try #require(fake.answered.withLock { $0 }.first { $0.text == Self.longAnswer })
            let truncate = try #require(events.first { $0["type"] as? String == "conversation.item.truncate" })
            #expect(truncate["item_id"] as? String == answer.item)
            let heardByModel = try #require(truncate["audio_end_ms"] as? Int)
            // (No `response.cancel` is owed: like the real model, the fake generated the whole
            // answer long before the caller heard it.)
            let recording = phone.recording
            let asked = try #require(recording.marks["asked"])
            let interrupted = try #require(recording.marks["interrupt"])
            let loud = recording.chunks.filter { chunk in
                chunk.arrival > asked + .seconds(Double(question.count) / 8000) && chunk.arrival < interrupted + .milliseconds(1500)
                    && recording.samples[chunk.sampleOffset..<chunk.sampleOffset + chunk.sampleCount].contains { abs(Int($0)) > 1000 }
            }
            let first = try #require(loud.first), last = try #require(loud.last)
            let heardByCaller = (last.sampleOffset + last.sampleCount - first.sampleOffset) / 8
            #expect(abs(heardByModel - heardByCaller) <= 150, "model told \(heardByModel) ms, caller heard \(heardByCaller) ms")
            #expect(heardByModel < answer.milliseconds - 1000, "cut well before its end (\(answer.milliseconds) ms)")
            // Then the caller's new question was answered.
            let afterInterruption = Array(recording.samples.dropFirst(Int(interrupted / .milliseconds(1)) * 8))
            #expect(ToneDetector.energy(at: FakeOpenAI.tone(for: "Sorry, we are closed on Sundays."), in: afterInterruption, sampleRate: 8000) > 0.2)
        }
        #expect(log.acceptedBargeIns == 1)
        let cut = try #require(log.turns.first { $0.interrupted })
        #expect(cut.cutBy == "barge_in" && cut.input == "speech" && cut.firstPacket != nil)
        let heard = try #require(log.said.first { Self.longAnswer.hasPrefix($0) && !$0.isEmpty && $0 != Self.longAnswer },
                                 "what the caller heard of the cut answer is kept: \(log.said)")
        #expect(heard.count < Self.longAnswer.count)
        let usage = providers.totalCost.report()
        #expect(usage.usage["openai-realtime-audio"]?.promptTokens ?? 0 >= 400 && usage.total > 0, "\(usage)")
    }

    /// On an A-law line (most of Brazil's) the model hears and speaks A-law.
    @Test(arguments: [Audio.AudioFormat.ulaw, .alaw])
    func theModelsTransferIsCarriedOutAfterItsLastWords(format: Audio.AudioFormat) async throws {
        let fake = try await FakeRealtime(transcripts: ["Please transfer me to a person."], answer: Self.answers)
        defer { fake.stop() }
        let (bots, providers, _) = try Self.bots(fake)
        defer { providers.shutdown() }
        let request = try await Self.speech("please transfer me to a person")
        try await CallHarness.run(format: format, defaultBot: .realtime, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(request), .pause(.seconds(20))])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(phone.transferTarget == "PJSIP/1002")
            #expect(await harness.waitUntil { harness.service.counters.outcomes["transferred"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(ToneDetector.energy(at: FakeOpenAI.tone(for: "Transferring you now."), in: phone.recording.samples, sampleRate: 8000) > 0.2,
                    "the model's last words were heard before the transfer")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let update = try #require(fake.clientEvents.first { $0["type"] as? String == "session.update" }?["session"] as? [String: Any])
        let input = try #require((update["audio"] as? [String: Any])?["input"] as? [String: Any])
        #expect((input["format"] as? [String: Any])?["type"] as? String == (format == .alaw ? "audio/pcma" : "audio/pcmu"))
        let output = try #require(fake.clientEvents.first { $0["type"] as? String == "conversation.item.create" }?["item"] as? [String: Any])
        #expect(output["type"] as? String == "function_call_output" && output["call_id"] as? String == "call_2")
        #expect((output["output"] as? String)?.hasPrefix("OK") == true)
    }

    @Test func aSessionThatDropsMidCallIsApologisedForAndANewOneCarriesOn() async throws {
        let fake = try await FakeRealtime(transcripts: ["What time do you open?"], dropsFirstSessionAfterTurns: 1, answer: Self.answers)
        defer { fake.stop() }
        let (bots, providers, log) = try Self.bots(fake)
        defer { providers.shutdown() }
        let question = try await Self.speech("what time do you open")
        try await CallHarness.run(defaultBot: .realtime, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [
                .pause(.seconds(3)), .say(question), .pause(.seconds(5)), .mark("again"), .say(question), .pause(.seconds(6)), .hangUp,
            ])
            #expect(await phone.waitUntilEnded(timeout: .seconds(40)))
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            let again = try #require(phone.recording.marks["again"])
            let afterAsking = Array(phone.recording.samples.dropFirst(Int(again / .milliseconds(1)) * 8))
            #expect(ToneDetector.energy(at: FakeOpenAI.tone(for: Self.longAnswer), in: afterAsking, sampleRate: 8000) > 0.2,
                    "the new session answered the question asked again")
        }
        #expect(log.said.contains("Sorry, I had a problem just now. Could you say that again?"), "\(log.said)")
        #expect(fake.server.connections.count == 2)
        // The new session knows what was said before the drop.
        let second = fake.server.connections[1].receivedTexts.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let history = second.filter { $0["type"] as? String == "conversation.item.create" }.compactMap { $0["item"] as? [String: Any] }
        #expect(history.first?["role"] as? String == "assistant", "\(history)")
        #expect(history.contains { $0["role"] as? String == "user" })
    }

    /// Both sides of a realtime call reach its record: the caller's words from the model's
    /// transcription, the model's answer cut to what was heard when the caller hung up on it.
    @Test func aCallerWhoHangsUpOnTheAnswerLeavesBothSidesInTheRecord() async throws {
        let fake = try await FakeRealtime(transcripts: ["What time do you open?"], answer: Self.answers)
        defer { fake.stop() }
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        let configuration = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "realtime", "OPENAI_API_KEY": "sk-test",
            "OPENAI_REALTIME_URL": fake.url, "TTS_PROVIDERS": "offline",
        ])
        let providers = try ProviderFactory(settings: configuration.ai)
        defer { providers.shutdown() }
        let bots = BotCatalog(
            loopbackDelay: .zero, providers: providers, observers: { call in journal.conversationObserver(callID: call.callID) },
            logger: Logger(label: "test.realtime"))
        let question = try await Self.speech("what time do you open")
        try await CallHarness.run(defaultBot: .realtime, bots: bots, observer: journal) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [
                .pause(.seconds(3)), .say(question), .pause(.milliseconds(2200)), .hangUp,
            ])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(await harness.waitUntil { journal.activeRecords.isEmpty })
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let record = try #require(try await store.records(matching: CallRecordQuery()).first)
        #expect(record.outcome == .callerHangup)
        let turns = record.turns
        #expect(turns.count == 2, "\(turns)")
        #expect(turns.first?.botText == "Hello! How can I help you?")
        let answer = try #require(turns.last)
        #expect(answer.callerTranscript == "What time do you open?")
        #expect(answer.cutBy == "caller_hangup" && answer.interrupted)
        #expect(!answer.botText.isEmpty && answer.botText.count < Self.longAnswer.count && Self.longAnswer.hasPrefix(answer.botText),
                "heard: \(answer.botText)")
    }

    @Test func aTransferOffTheAllowListIsRefusedToTheModel() async throws {
        let fake = try await FakeRealtime(transcripts: ["Please transfer me to a person."], answer: Self.answers)
        defer { fake.stop() }
        let configuration = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "realtime", "OPENAI_API_KEY": "sk-test",
            "OPENAI_REALTIME_URL": fake.url, "TTS_PROVIDERS": "offline",
        ])
        let allowList = TransferAllowList(named: [.endpoint(technology: "PJSIP", resource: "2000")])
        let providers = try ProviderFactory(settings: configuration.ai, transferAllowList: allowList)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.realtime"))
        let request = try await Self.speech("please transfer me to a person")
        try await CallHarness.run(defaultBot: .realtime, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(request), .pause(.seconds(6)), .hangUp])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(phone.transferTarget == nil, "the caller talked the model into a transfer the operator does not allow")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let output = try #require(fake.clientEvents.first { $0["type"] as? String == "conversation.item.create" }?["item"] as? [String: Any])
        #expect((output["output"] as? String)?.hasPrefix("Error") == true, "\(output)")
    }
}
