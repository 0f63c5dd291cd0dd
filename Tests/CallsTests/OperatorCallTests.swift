import AsteriskSimulator
@testable import CallOperations
import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import Prometheus
import Synchronization
import Testing
@testable import Calls

@Suite("Operator API over live calls", .timeLimit(.minutes(2)))
struct OperatorCallTests {
    @Test func aLiveCallIsListedHungUpAndRecorded() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let hub = CallEventHub()
        let journal = CallJournal(store: store, hub: hub, logger: Logger(label: "test.records"))
        let events = hub.subscribe()
        try await CallHarness.run(observer: journal) { harness in
            try await OperatorAPIServer.run(harness: harness, journal: journal, store: store, hub: hub) { request in
                #expect(try await request(.get, "/health/ready").status == 200)
                let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
                #expect(await harness.waitUntil { !journal.activeRecords.isEmpty })
                let callID = try #require(journal.activeRecords.first?.id)
                let list = try await request(.get, "/v1/calls")
                #expect(list.status == 200 && String(decoding: list.body, as: UTF8.self).contains(callID))
                #expect(try await request(.get, "/v1/calls/\(callID)").status == 200)
                #expect(try await request(.delete, "/v1/calls/\(callID)").status < 300)
                #expect(await phone.waitUntilEnded())
                #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
                // The journal forgets a call once its last save is in the store.
                #expect(await harness.waitUntil { journal.record(callID: callID) == nil })
                let saved = try await store.record(id: callID)
                #expect(saved?.outcome == .operatorHangup)
                #expect(try await request(.get, "/v1/calls/nope").status == 404)
            }
        }
        var names: [String] = []
        for await event in events {
            names.append(event.name)
            if event.name == "call_ended" { break }
        }
        #expect(names.first == "call_started" && names.last == "call_ended")
    }
}

extension OperatorCallTests {
    /// A store whose saves of ended records wait until ``open()``: a slow disk or database at the
    /// moment a call ends.
    final class GatedStore: CallRecordStore {
        let inner: any CallRecordStore
        private let gate = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        init(_ inner: any CallRecordStore) { self.inner = inner }

        func open() {
            let waiting = gate.withLock { gate in
                gate.open = true
                defer { gate.waiting.removeAll() }
                return gate.waiting
            }
            for waiter in waiting { waiter.resume() }
        }

        func save(_ record: CallRecord) async throws(CallRecordsError) {
            if !record.isActive {
                await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                    let open = gate.withLock { gate in
                        if !gate.open { gate.waiting.append(waiter) }
                        return gate.open
                    }
                    if open { waiter.resume() }
                }
            }
            try await inner.save(record)
        }

        func record(id: String) async throws(CallRecordsError) -> CallRecord? { try await inner.record(id: id) }
        func records(matching query: CallRecordQuery) async throws(CallRecordsError) -> [CallRecord] { try await inner.records(matching: query) }
        func activeRecord(channelID: String) async throws(CallRecordsError) -> CallRecord? { try await inner.activeRecord(channelID: channelID) }
        func closeLostRecords(
            of instance: String?, at date: Date, detail: String, isLive: @escaping @Sendable (CallRecord) -> Bool
        ) async throws(CallRecordsError) -> [CallRecord] {
            try await inner.closeLostRecords(of: instance, at: date, detail: detail, isLive: isLive)
        }
        func deleteRecords(startedBefore date: Date) async throws(CallRecordsError) -> Int { try await inner.deleteRecords(startedBefore: date) }
        func close() async throws(CallRecordsError) { try await inner.close() }
    }

    /// Between a call's end and its last save reaching the store, the store still says the call
    /// is up: the list must show it ended, not lose it (a fleet's "every call in the records"
    /// count read 99 of 100 once, right after the last hang-up).
    @Test func aCallThatJustEndedIsListedWhileItsLastSaveIsOnItsWay() async throws {
        let store = GatedStore(try SQLiteCallRecordStore(path: ":memory:"))
        let hub = CallEventHub()
        let journal = CallJournal(store: store, hub: hub, logger: Logger(label: "test.records"))
        try await CallHarness.run(observer: journal) { harness in
            try await OperatorAPIServer.run(harness: harness, journal: journal, store: store, hub: hub) { request in
                let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(1)), .hangUp])
                #expect(await harness.waitUntil { !journal.activeRecords.isEmpty })
                let callID = try #require(journal.activeRecords.first?.id)
                #expect(await phone.waitUntilEnded())
                #expect(await harness.waitUntil { journal.activeRecords.isEmpty })
                #expect(try await store.record(id: callID)?.isActive == true, "the final save is held at the gate")
                let list = try await request(.get, "/v1/calls?state=all")
                let calls = try OperatorJSON.decoder().decode(CallList.self, from: list.body).calls
                #expect(calls.map(\.id) == [callID])
                #expect(calls.first?.state == "ended" && calls.first?.outcome == .callerHangup)
                store.open()
                #expect(await harness.waitUntil { journal.record(callID: callID) == nil })
                #expect(try await store.record(id: callID)?.outcome == .callerHangup)
            }
        }
    }
}

@Suite("Call cost in records")
struct CallCostTests {
    @Test func usageIsPricedPerKindAtTheConfiguredRates() throws {
        let prices = try Settings.Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x",
            "PROVIDER_PRICES": "openai.prompt_per_mtok=0.15,openai.completion_per_mtok=0.6,openai.stt_per_minute=0.006,openai.tts_per_mchar=15",
        ]).ai.prices
        let meter = Providers.CostMeter(prices: prices)
        meter.record("openai", .init(promptTokens: 1000, completionTokens: 200))
        meter.record("openai", .init(audioSeconds: 30))
        meter.record("openai", .init(characters: 2000))
        let cost = CallOperations.CallJournal.cost(of: meter.report(), prices: prices)
        #expect(cost.lines.map(\.item) == ["prompt", "completion", "transcription", "synthesis"])
        #expect(abs(cost.total - (1000 * 0.15 / 1e6 + 200 * 0.6 / 1e6 + 0.5 * 0.006 + 2000 * 15 / 1e6)) < 1e-9)
        #expect(abs(cost.total - meter.report().total) < 1e-9)
    }
}

import Providers
import Settings

@Suite("Failed replies in metrics")
struct FailedReplyMetricsTests {
    @Test func eachFailedReplyIsCountedByWhatTheCallerGot() throws {
        let registry = PrometheusCollectorRegistry()
        let journal = CallJournal(
            store: nil, hub: CallEventHub(), metrics: URAMetrics(factory: URAMetricsFactory(registry: registry)),
            logger: Logger(label: "test.records"))
        let observer = journal.conversationObserver(callID: "c1")
        observer.replyFailed(.apology)
        observer.replyFailed(.transfer)
        observer.replyFailed(.transfer)
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains(#"ura_failed_replies_total{response="transfer"} 2"#))
        #expect(lines.contains(#"ura_failed_replies_total{response="apology"} 1"#))
    }
}

import Telemetry
import Voice
