import AsteriskSimulator
import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import Prometheus
import Settings
import Synchronization
import Telemetry
import Testing
import Voice
import VoiceTesting
@testable import CallOperations
@testable import Calls

/// A conversational bot whose turns go into a ``CallJournal``, as `ura serve` wires it: a short
/// greeting, then a two-sentence answer played as a tone (60 ms a character), so a test knows
/// from the audio the caller got how much of the answer they heard.
struct JournaledBots: BotFactory {
    static let greeting = "Hello."
    static let firstSentence = "We are open Monday to Friday from nine to six."
    static let answer = firstSentence + " On Saturdays we open from nine in the morning to one."
    static let question = "opening hours"
    /// How long the first sentence plays.
    static let firstSentenceAudio = Duration.milliseconds(60) * firstSentence.count

    let journal: CallJournal

    func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
        let observer = journal.conversationObserver(callID: call.callID)
        return ConversationBot { output, control in
            ConversationPipeline(
                recognizer: ScriptedRecognizer(sampleRate: 16000, script: [Self.question]),
                brain: ScriptedBrain(recordsTurns: false) { input, _ in input == .greeting ? [.text(Self.greeting)] : [.text(Self.answer)] },
                synthesizer: ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(60)), output: output,
                control: control, converters: SpeexConverter.factory, conversation: Conversation(language: "en-US"),
                observer: observer, logger: Logger(label: "test.journaled"))
        }
    }
}

/// A call record store in a temporary file, as `RECORDS_PATH` gives one.
struct RecordsFile {
    let path = FileManager.default.temporaryDirectory.appending(path: "ura-records-\(UUID().uuidString).sqlite").path

    func open() throws -> SQLiteCallRecordStore { try SQLiteCallRecordStore(path: path) }

    func remove() {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

@Suite("Call records written as calls go", .serialized, .timeLimit(.minutes(2)))
struct CallRecordingTests {
    /// One caller asks, hears about `playedBeforeCut` of the answer, and then `cut` ends the call.
    /// - Returns: the call's id and how much of the answer reached the caller, once the call has ended.
    static func callCutDuringTheAnswer(
        harness: CallHarness, journal: CallJournal, playedBeforeCut: Duration = firstSentenceAndABit,
        cut: (SyntheticCaller, CallSession) async throws -> Void
    ) async throws -> (callID: String, heard: Duration) {
        let phone = harness.simulator.placeCall(
            from: "1001", to: "100", script: [.pause(.seconds(1)), .mark("asked"), .say(TestSignal.speechLike(seconds: 1.2)), .pause(.seconds(30))])
        #expect(await harness.waitUntil { !journal.activeRecords.isEmpty })
        let callID = try #require(journal.activeRecords.first?.id)
        let session = try #require(harness.service.session(callID: callID))
        // Cut once the caller has heard `playedBeforeCut` of the answer, measured on their line.
        let heardEnough = await harness.waitUntil(timeout: .seconds(20)) {
            Self.botAudio(in: phone.recording, after: .milliseconds(1200)) >= playedBeforeCut
        }
        #expect(heardEnough, "the answer did not play: \(Self.botAudio(in: phone.recording, after: .milliseconds(1200)))")
        try await cut(phone, session)
        #expect(await harness.waitUntil { harness.service.session(callID: callID) == nil && journal.record(callID: callID) == nil })
        return (callID, Self.botAudio(in: phone.recording, after: .milliseconds(1200)))
    }

    static let firstSentenceAndABit = JournaledBots.firstSentenceAudio + .milliseconds(800)

    /// How much bot audio (tone) reached the caller after their question began, plus `delay`.
    static func botAudio(in recording: CallRecording, after delay: Duration) -> Duration {
        guard let asked = recording.marks["asked"] else { return .zero }
        let chunks = recording.chunks.filter { chunk in
            chunk.arrival > asked + delay
                && recording.samples[chunk.sampleOffset..<chunk.sampleOffset + chunk.sampleCount].contains { abs(Int($0)) > 1000 }
        }
        return .milliseconds(chunks.reduce(0) { $0 + $1.sampleCount } / 8)
    }

    /// The answer turn of a call cut during it: the caller's words, the part they heard, the cause.
    /// - Parameter heard: how much of the answer's audio reached the caller.
    static func expectCutAnswer(_ record: CallRecord?, cutBy reason: String, heard: Duration) throws {
        let record = try #require(record)
        let turns = record.turns
        #expect(turns.count == 2, "turns: \(turns)")
        #expect(turns.first?.botText == JournaledBots.greeting && turns.first?.cutBy == nil)
        let answer = try #require(turns.last)
        #expect(answer.index == 1)
        #expect(answer.callerTranscript == JournaledBots.question)
        #expect(answer.interrupted)
        #expect(answer.cutBy == reason)
        // Heard: the first sentence whole, and not the whole answer.
        #expect(answer.botText.hasPrefix(JournaledBots.firstSentence), "heard: \(answer.botText)")
        #expect(answer.botText.count < JournaledBots.answer.count, "heard: \(answer.botText)")
        #expect(JournaledBots.answer.hasPrefix(answer.botText))
        // As much text as audio: 60 ms a character, to half a second (the cut travels, words are whole).
        let audioCharacters = Int(heard / .milliseconds(60)) + 1
        #expect(abs(answer.botText.count - audioCharacters) <= 8, "heard \(heard) of audio but \(answer.botText.count) characters: \(answer.botText)")
    }

    @Test func aCallerWhoHangsUpDuringTheAnswerHasThatTurnInTheOperatorAPI() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let hub = CallEventHub()
        let registry = PrometheusCollectorRegistry()
        let journal = CallJournal(
            store: store, hub: hub, metrics: URAMetrics(factory: URAMetricsFactory(registry: registry)),
            logger: Logger(label: "test.records"))
        try await CallHarness.run(defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            try await OperatorAPIServer.run(harness: harness, journal: journal, store: store, hub: hub) { api in
                let (callID, heard) = try await Self.callCutDuringTheAnswer(harness: harness, journal: journal) { phone, _ in phone.hangUp() }
                let response = try await api(.get, "/v1/calls/\(callID)")
                let (status, body) = (response.status, response.body)
                #expect(status == 200)
                let shown = try OperatorJSON.decoder().decode(CallDetail.self, from: body)
                #expect(shown.state == "ended" && shown.call.outcome == .callerHangup)
                try Self.expectCutAnswer(shown.call, cutBy: "caller_hangup", heard: heard)
                #expect(String(decoding: body, as: UTF8.self).contains(#""cut_by":"caller_hangup""#))
            }
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains(#"ura_turns_total{end="caller_hangup"} 1"#), "\(lines.filter { $0.hasPrefix("ura_turns") })")
        #expect(lines.contains(#"ura_turns_total{end="completed"} 1"#))
    }

    @Test func aTransferDuringTheAnswerKeepsTheCutTurn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        try await CallHarness.run(defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            let (callID, heard) = try await Self.callCutDuringTheAnswer(harness: harness, journal: journal) { _, session in session.transfer(to: try! TransferDestination(parsing: "PJSIP/1002")) }
            let saved = try await store.record(id: callID)
            #expect(saved?.outcome == .transferred)
            try Self.expectCutAnswer(saved, cutBy: "transferred", heard: heard)
        }
    }

    @Test func anOperatorHangupDuringTheAnswerKeepsTheCutTurn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        try await CallHarness.run(defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            let (callID, heard) = try await Self.callCutDuringTheAnswer(harness: harness, journal: journal) { _, session in session.hangUp() }
            let saved = try await store.record(id: callID)
            #expect(saved?.outcome == .operatorHangup)
            try Self.expectCutAnswer(saved, cutBy: "operator_hangup", heard: heard)
        }
    }

    @Test func aShutdownDuringTheAnswerKeepsTheCutTurn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        let ended = Mutex<(callID: String?, phone: SyntheticCaller?)>((nil, nil))
        // No drain time: the harness's graceful shutdown, right after the body, ends the call.
        try await CallHarness.run(drain: .zero, remainingCalls: .hangup, defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", script: [.pause(.seconds(1)), .mark("asked"), .say(TestSignal.speechLike(seconds: 1.2)), .pause(.seconds(30))])
            #expect(await harness.waitUntil { !journal.activeRecords.isEmpty })
            ended.withLock { $0 = (journal.activeRecords.first?.id, phone) }
            #expect(await harness.waitUntil(timeout: .seconds(20)) {
                Self.botAudio(in: phone.recording, after: .milliseconds(1200)) >= Self.firstSentenceAndABit
            })
        }
        let (id, phone) = ended.withLock { $0 }
        let callID = try #require(id)
        let heard = Self.botAudio(in: try #require(phone).recording, after: .milliseconds(1200))
        let saved = try await store.record(id: callID)
        #expect(saved?.outcome == .shutdown)
        try Self.expectCutAnswer(saved, cutBy: "shutdown", heard: heard)
    }

    @Test func theRecordIsInTheStoreFromTheStartWithEachFinishedTurn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let hub = CallEventHub()
        let journal = CallJournal(store: store, hub: hub, logger: Logger(label: "test.records"))
        try await CallHarness.run(defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            try await OperatorAPIServer.run(harness: harness, journal: journal, store: store, hub: hub) { api in
                // The caller listens to the greeting and says nothing.
                let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
                #expect(await harness.waitUntil { !journal.activeRecords.isEmpty })
                let callID = try #require(journal.activeRecords.first?.id)
                var stored: CallRecord?
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    stored = try await store.record(id: callID)
                    if stored?.turns.isEmpty == false { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let record = try #require(stored, "no record in the store while the call is up")
                #expect(record.isActive && record.outcome == nil)
                #expect(record.turns.map(\.botText) == [JournaledBots.greeting])
                #expect(record.timeline.first?.kind == "started")
                #expect(harness.service.session(callID: callID) != nil, "the call ended early")
                // While live the API shows the journal's record, with the same finished turn.
                let response = try await api(.get, "/v1/calls/\(callID)")
                let (status, body) = (response.status, response.body)
                #expect(status == 200)
                let shown = try OperatorJSON.decoder().decode(CallDetail.self, from: body)
                #expect(shown.state == "active" && shown.call.turns.map(\.botText) == [JournaledBots.greeting])
                phone.hangUp()
                #expect(await harness.waitUntil { journal.record(callID: callID) == nil })
                #expect(try await store.record(id: callID)?.outcome == .callerHangup)
            }
        }
    }

    @Test func savesThatFailAreCountedAndTheCallGoesOn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        // Every write fails: the database is gone.
        try store.close()
        let registry = PrometheusCollectorRegistry()
        let journal = CallJournal(
            store: store, hub: CallEventHub(), metrics: URAMetrics(factory: URAMetricsFactory(registry: registry)),
            logger: Logger(label: "test.records"))
        try await CallHarness.run(defaultBot: .echo, bots: JournaledBots(journal: journal), observer: journal) { harness in
            let (callID, heard) = try await Self.callCutDuringTheAnswer(harness: harness, journal: journal) { phone, _ in phone.hangUp() }
            #expect(heard >= Self.firstSentenceAndABit, "the caller heard the answer although no save worked")
            #expect(harness.service.counters.outcomes == ["caller_hangup": 1], "\(harness.service.counters.outcomes)")
            #expect(journal.record(callID: callID) == nil)
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let failures = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("ura_record_save_failures_total ") }.flatMap { Int($0.split(separator: " ")[1]) }
        // At least the start, the answered greeting and the end; snapshots queued behind a failing one may be merged.
        #expect((failures ?? 0) >= 3, "\(String(describing: failures)) failed saves counted")
    }

    @Test func aCallOfACrashedRunWhoseCallerIsGoneIsClosedAsLost() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: CallHarness.application))
        defer { simulator.stop() }
        let file = RecordsFile()
        defer { file.remove() }
        // The dead run's record: active, with the turn it saved before it was killed.
        let previous = try await CrashedRun.leaveLeftovers(on: simulator)
        let left = try await CrashedRun.journalCall(previous, recordsAt: file.path, simulator: simulator)
        #expect(left.isActive && left.turns.map(\.callerTranscript) == [CrashedRun.finishedTurn.caller])
        // The caller gave up while ura was down.
        try #require(simulator.phone(channelID: previous.caller)).hangUp()
        #expect(await Self.waitUntil { !simulator.channels.contains { $0.id == previous.caller } })

        let store = try file.open()
        defer { try? store.close() }
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        let before = Date()
        try await CallHarness.run(simulatorToUse: simulator, observer: journal) { harness in
            var closed: CallRecord?
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                closed = try await store.record(id: CrashedRun.callID)
                if closed?.isActive == false { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let record = try #require(closed)
            #expect(record.outcome == .lost)
            #expect(record.endedAt.map { $0 >= before } == true)
            #expect(record.turns == left.turns)
            #expect(record.turns.first?.botText == CrashedRun.finishedTurn.bot)
            #expect(record.timeline.map(\.kind) == ["started", "ended"])
        }
    }

    @Test func aCallerOfACrashedRunWhoIsTakenUpAgainKeepsTheRecordAndIsNotLost() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: CallHarness.application))
        defer { simulator.stop() }
        let file = RecordsFile()
        defer { file.remove() }
        let previous = try await CrashedRun.leaveLeftovers(on: simulator)
        let left = try await CrashedRun.journalCall(previous, recordsAt: file.path, simulator: simulator)

        let store = try file.open()
        defer { try? store.close() }
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        try await CallHarness.run(simulatorToUse: simulator, observer: journal) { harness in
            // Taken up under the id the dead run gave it; its leftovers are still cleaned.
            #expect(await harness.waitUntil { harness.service.session(callID: CrashedRun.callID)?.status.phase == "active" }, "\(harness.diagnosis)")
            #expect(await harness.waitUntil { !harness.simulator.bridges.contains { $0.id == previous.bridge } })
            #expect(await harness.waitUntil { !harness.simulator.channels.contains { $0.id == previous.mediaChannel } })
            let live = try #require(journal.record(callID: CrashedRun.callID))
            #expect(live.timeline.last?.kind == "resumed")
            #expect(try await store.record(id: CrashedRun.callID)?.isActive == true)
            try #require(harness.simulator.phone(channelID: previous.caller)).hangUp()
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(await harness.waitUntil { journal.record(callID: CrashedRun.callID) == nil })
        }
        let record = try #require(try await store.record(id: CrashedRun.callID))
        #expect(record.outcome == .callerHangup)
        #expect(record.turns == left.turns)
        #expect(record.timeline.map(\.kind) == ["started", "resumed", "ended"])
    }

    static func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !condition() { try? await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }
}

