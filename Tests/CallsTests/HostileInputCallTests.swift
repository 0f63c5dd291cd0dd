import AsteriskSimulator
import Audio
import Bots
@testable import CallOperations
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
@testable import Calls

/// Callers, models, dialplans and API clients are hostile: nothing they send traps ura, drops
/// the other calls, or sends a caller where the operator did not allow.
@Suite("Hostile input on live calls", .timeLimit(.minutes(3)))
struct HostileInputCallTests {
    /// A Prometheus registry read back as text, for metric assertions.
    final class Metrics: Sendable {
        let registry = PrometheusCollectorRegistry()
        var factory: URAMetrics { URAMetrics(factory: URAMetricsFactory(registry: registry)) }
        var lines: [String] {
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    // MARK: Operator API

    /// The crash found against real Asterisk: `{"destination":","}` trapped in
    /// `CallSession.transfer` and dropped every live call.
    @Test func aTransferToACommaIsA400AndTheCallsInProgressGoOn() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let hub = CallEventHub()
        let journal = CallJournal(store: store, hub: hub, logger: Logger(label: "test.records"))
        // An allow-list that allows nothing: operators are not subject to it.
        try await CallHarness.run(observer: journal, configure: { $0.transferAllowList = TransferAllowList() }) { harness in
            try await OperatorAPIServer.run(harness: harness, journal: journal, store: store, hub: hub) { request in
                func post(_ path: String, _ json: String) async throws -> HTTPResponse { try await request(.post, path, json: json) }
                let first = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(60))])
                let second = harness.simulator.placeCall(from: "1002", to: "100", script: [.pause(.seconds(60))])
                #expect(await harness.waitUntil { harness.service.activeCalls.filter { $0.status.phase == "active" }.count == 2 }, "\(harness.diagnosis)")
                let callID = try #require(harness.service.activeCalls.first { $0.caller.caller.number == "1001" }?.names.callID)

                for hostile in [",", ",,", "a,b,c,d", "PJSIP/1001&PJSIP/00900123456", "sales,s,0", "100\\n", ""] {
                    let response = try await post("/v1/calls/\(callID)/transfer", #"{"destination":"\#(hostile)"}"#)
                    #expect(response.status == 400, "\(hostile): \(String(decoding: response.body, as: UTF8.self))")
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(first.status == .answered && second.status == .answered)
                #expect(harness.service.activeCalls.filter { $0.status.phase == "active" }.count == 2, "\(harness.diagnosis)")
                #expect(journal.activeRecords.count == 2)

                // A good destination still works, and the allow-list does not apply to operators.
                #expect(try await post("/v1/calls/\(callID)/transfer", #"{"destination":"PJSIP/1002"}"#).status == 202)
                #expect(await first.waitUntilEnded())
                #expect(first.transferTarget == "PJSIP/1002")
                #expect(second.status == .answered)
                second.hangUp()
                #expect(await second.waitUntilEnded())
                #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
                #expect(harness.service.counters.outcomes == ["transferred": 1, "caller_hangup": 1])
            }
        }
    }

    // MARK: Bot transfers and the allow-list

    /// A bot that asks, as soon as it runs, to transfer the caller to `destination`.
    struct TransferringBots: BotFactory {
        let destination: String
        let source: TransferSource

        final class Bot: CallBot {
            let destination: String
            let source: TransferSource
            let control = Mutex<CallControlHandle?>(nil)
            init(destination: String, source: TransferSource) {
                self.destination = destination
                self.source = source
            }
            func inbound(_ frame: Audio.PCMChunk, output: CallAudioOutput) {}
            func attach(output: CallAudioOutput, control: CallControlHandle) { self.control.withLock { $0 = control } }
            func run() async {
                try? await Task.sleep(for: .milliseconds(200))
                control.withLock { $0 }?.transfer(to: destination, source: source)
            }
            func dtmf(_ digit: Character) {}
            func say(_ text: String, interrupt: Bool) {}
        }

        func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
            Bot(destination: destination, source: source)
        }
    }

    @Test(arguments: [
        ("PJSIP/00900123456", "not_allowed", false),
        (",", "invalid", false),
        ("PJSIP/1001&PJSIP/00900123456", "invalid", false),
        ("PJSIP/1001", "", true),
        ("PJSIP/1099", "", true),
    ])
    func aBotsTransferMustBeValidAndAllowed(destination: String, refusal: String, made: Bool) async throws {
        let metrics = Metrics()
        let allowList = TransferAllowList(patterns: [try TransferPattern(parsing: "PJSIP/10*")], named: [.endpoint(technology: "PJSIP", resource: "1001")])
        try await CallHarness.run(
            bots: TransferringBots(destination: destination, source: .llm),
            configure: { $0.transferAllowList = allowList; $0.metrics = metrics.factory }
        ) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await phone.waitUntilEnded())
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            if made {
                #expect(phone.transferTarget == destination)
                #expect(harness.service.counters.outcomes == ["transferred": 1])
                #expect(!metrics.lines.contains { $0.hasPrefix("ura_transfers_refused_total{") })
            } else {
                // Not transferred: back to the dialplan after Stasis() (the simulator's hangs up).
                #expect(phone.transferTarget == nil)
                #expect(harness.service.counters.outcomes == ["failed": 1])
                #expect(metrics.lines.contains(#"ura_transfers_refused_total{source="llm",reason="\#(refusal)"} 1"#), "\(metrics.lines)")
            }
        }
    }

    // MARK: Stasis arguments and call ids

    /// Remembers which bot and variables each call was given.
    final class RecordingBots: BotFactory {
        let contexts = Mutex<[CallContext]>([])
        func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
            contexts.withLock { $0.append(call) }
            return LoopbackBot(delay: .milliseconds(100))
        }
    }

    @Test func stasisArgumentsCannotReachAFileOrOverrideTheFirstBot() async throws {
        let bots = RecordingBots()
        try await CallHarness.run(bots: bots) { harness in
            let traversal = harness.simulator.placeCall(
                from: "1001", to: "100", stasisArgs: ["bot=flow:../../../etc/passwd", "lang=pt_BR"], script: [.pause(.seconds(1)), .hangUp])
            let smuggled = harness.simulator.placeCall(
                from: "1002", to: "100", stasisArgs: ["bot=loopback", "lang=en", "bot=llm", "lang=pt", "x-y=1", "note=a\u{1}b"],
                script: [.pause(.seconds(1)), .hangUp])
            #expect(await traversal.waitUntilEnded())
            #expect(await smuggled.waitUntilEnded())
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            let contexts = bots.contexts.withLock { $0 }.sorted { $0.callerNumber < $1.callerNumber }
            try #require(contexts.count == 2)
            // The traversal is ignored: the call is taken by the default bot, no file is read.
            #expect(contexts[0].bot == .loopback && contexts[0].variables == ["lang": "pt_BR"])
            // The first bot= and lang= win; the bad key and the control character are dropped.
            #expect(contexts[1].bot == .loopback && contexts[1].variables == ["lang": "en"])
            #expect(harness.service.counters.outcomes == ["caller_hangup": 2])
        }
    }

    @Test func aUraCallIDFromOutsideNeverTakesAnotherCallsID() async throws {
        try await CallHarness.run { harness in
            let first = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            let taken = try #require(harness.service.activeCalls.first?.names.callID)
            let forger = harness.simulator.placeCall(from: "6666", to: "100", stasisArgs: ["ura_call_id=\(taken)"], script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.filter { $0.status.phase == "active" }.count == 2 }, "\(harness.diagnosis)")
            let forged = try #require(harness.service.activeCalls.first { $0.caller.caller.number == "6666" })
            #expect(forged.names.callID != taken && ResourceNamespace.single.isOurs(forged.names.callID))
            #expect(harness.service.session(callID: taken)?.caller.caller.number == "1001")

            // An id ura handed out for an originate is honoured, once.
            let announced = ResourceNames.newCallID()
            harness.service.expectOriginatedCall(id: announced)
            let originated = harness.simulator.placeCall(from: "1003", to: "100", stasisArgs: ["ura_call_id=\(announced)"], script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.session(callID: announced) != nil })
            let replay = harness.simulator.placeCall(from: "1004", to: "100", stasisArgs: ["ura_call_id=\(announced)"], script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.count == 4 })
            #expect(harness.service.session(callID: announced)?.caller.caller.number == "1003")
            for phone in [first, forger, originated, replay] { phone.hangUp() }
            for phone in [first, forger, originated, replay] { #expect(await phone.waitUntilEnded()) }
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(harness.service.counters.outcomes == ["caller_hangup": 4])
        }
    }

    // MARK: Admission

    @Test func aCallerBeyondMaxCallsGoesBackToTheDialplanUnanswered() async throws {
        let metrics = Metrics()
        try await CallHarness.run(configure: { $0.maximumCalls = 1; $0.metrics = metrics.factory }) { harness in
            let first = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            let second = harness.simulator.placeCall(from: "1002", to: "100", script: [.pause(.seconds(30))])
            #expect(await second.waitUntilEnded())
            #expect(second.recording.answeredAfter == nil)
            #expect(first.status == .answered)
            #expect(metrics.lines.contains(#"ura_calls_rejected_total{reason="max_calls"} 1"#), "\(metrics.lines)")
            first.hangUp()
            #expect(await first.waitUntilEnded())
            #expect(await harness.waitUntil { harness.service.activeCalls.isEmpty })
            // The slot is free again.
            let third = harness.simulator.placeCall(from: "1003", to: "100", script: [.pause(.seconds(1)), .hangUp])
            #expect(await third.waitUntilEnded())
            #expect(third.recording.answeredAfter != nil)
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(harness.service.counters.callsStarted == 2 && harness.service.counters.callsRejected == 1, "\(harness.service.counters)")
        }
    }

    @Test func aCallerWithNoFreeMediaPortGoesBackToTheDialplanUnanswered() async throws {
        let metrics = Metrics()
        try await CallHarness.run(mediaPorts: 1, configure: { $0.metrics = metrics.factory }) { harness in
            let first = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            let second = harness.simulator.placeCall(from: "1002", to: "100", script: [.pause(.seconds(30))])
            #expect(await second.waitUntilEnded())
            #expect(second.recording.answeredAfter == nil)
            #expect(first.status == .answered)
            #expect(metrics.lines.contains(#"ura_calls_rejected_total{reason="no_media_port"} 1"#), "\(metrics.lines)")
            first.hangUp()
            #expect(await first.waitUntilEnded())
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(harness.service.counters.outcomes == ["caller_hangup": 1, "rejected": 1])
        }
    }

    // MARK: Privacy

    /// Every log record, for checks of what reaches logs.
    final class CapturedLogs: Sendable {
        let records = Mutex<[String]>([])
        struct Handler: LogHandler {
            let logs: CapturedLogs
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let all = metadata.merging(event.metadata ?? [:]) { $1 }
                logs.records.withLock { $0.append("\(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
            }
        }
        var logger: Logger { Logger(label: "test.calls") { _ in Handler(logs: self) } }
    }

    @Test(arguments: [false, true])
    func dtmfDigitsReachLogsOnlyWhenAllowed(logTranscripts: Bool) async throws {
        let logs = CapturedLogs()
        try await CallHarness.run(logger: logs.logger, configure: { $0.logTranscripts = logTranscripts }) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.milliseconds(500)), .dtmf("7395"), .pause(.seconds(1)), .hangUp])
            #expect(await phone.waitUntilEnded())
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let dtmf = logs.records.withLock { $0 }.filter { $0.hasPrefix("dtmf ") }
        #expect(dtmf.count == 4, "\(dtmf)")
        let shown = dtmf.filter { line in "7395".contains { line.contains("digit=\($0)") } }
        #expect(shown.count == (logTranscripts ? 4 : 0), "\(dtmf)")
    }
}
