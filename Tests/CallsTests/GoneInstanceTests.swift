import ARI
import AsteriskSimulator
import CallOperations
import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import Testing
@testable import Calls

/// A ura instance that dies mid-call leaves its caller in its (deactivated) application, which
/// Asterisk keeps while the caller is in it; the other instances notice its heartbeat stand
/// still and let the caller go on in the dialplan (``PeerWatch``).
@Suite("Gone instances", .timeLimit(.minutes(2)))
struct GoneInstanceTests {
    static let watch = PeerWatch.Settings(interval: .milliseconds(100), grace: .seconds(1))

    @Test func aGoneInstancesCallerIsContinuedAndItsResourcesDeletedWhileALivePeersCallsGoOn() async throws {
        try await CallHarness.run(configure: { $0.namespace = ResourceNamespace(instance: "one") }, application: "ura-1", peers: Self.watch) { first in
            try await CallHarness.run(
                simulatorToUse: first.simulator, configure: { $0.namespace = ResourceNamespace(instance: "two") }, application: "ura-2",
                peers: Self.watch
            ) { second in
                let simulator = first.simulator
                let live = simulator.placeBroadcastCall(from: "1001", to: "200", filter: "^ura-1$", timeout: .seconds(2), script: [.pause(.seconds(30))])
                #expect(await first.waitUntil { live.status == .answered })

                let dead = try await DeadInstance.takeCallAndDie(on: simulator, application: "ura-dead")
                let died = ContinuousClock.now
                #expect(await first.waitUntil { dead.phone.wasContinuedInDialplan }, "\(first.diagnosis)")
                #expect(ContinuousClock.now - died < .seconds(3), "within the grace period and a few looks")
                #expect(await first.waitUntil {
                    !simulator.bridges.contains { $0.id == dead.bridge } && !simulator.channels.contains { $0.id == dead.mediaChannel }
                })
                // Counted once the whole clean-up is done, just after the bridge goes.
                let continued = { first.service.counters.peerCallersContinued + second.service.counters.peerCallersContinued }
                #expect(await first.waitUntil { continued() == 1 }, "continued once, whichever survivor came first")

                // Well past the grace period, the live instances' heartbeats keep their calls safe.
                try await Task.sleep(for: .seconds(2))
                #expect(continued() == 1, "and never again")
                #expect(live.status == .answered && !live.wasContinuedInDialplan)
                #expect(first.service.activeCalls.count == 1)
                #expect(simulator.globalVariable(PeerWatch.heartbeatVariable(for: "ura-1")) != "")
                live.hangUp()
                #expect(await first.waitUntil { first.isClean && second.isClean }, "\(first.diagnosis)")
            }
        }
    }

    @Test func anApplicationWithoutAHeartbeatIsNeverTouched() async throws {
        try await CallHarness.run(application: "ura-2", peers: Self.watch) { survivor in
            // Not a ura instance of this version: no heartbeat, so its caller is none of ours.
            let other = try await DeadInstance.takeCallAndDie(on: survivor.simulator, application: "ura-old", heartbeat: false)
            try await Task.sleep(for: .seconds(2))
            #expect(!other.phone.wasContinuedInDialplan && other.phone.status == .answered)
            #expect(survivor.simulator.bridges.contains { $0.id == other.bridge })
            other.phone.hangUp()
        }
    }

    @Test func aGoneInstancesRecordInASharedStoreEndsAsLost() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gone-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: CallHarness.application))
        defer { simulator.stop() }
        let dead = try await DeadInstance.takeCallAndDie(on: simulator, application: "ura-dead")
        let leftovers = CrashedRun.Leftovers(
            caller: dead.caller.id.rawValue, callerChannel: dead.caller, bridge: dead.bridge, mediaChannel: dead.mediaChannel)
        _ = try await CrashedRun.journalCall(leftovers, recordsAt: path, instance: "ura-dead", simulator: simulator)

        let store = try SQLiteCallRecordStore(path: path)
        defer { try? store.close() }
        // One more call of the gone instance, whose caller had already hung up, and one of a live peer.
        let hungUp = CallRecord(
            id: "ura-hung-up", callerNumber: "1002", channelID: "gone-1", bot: "echo", startedAt: Date(), instance: "ura-dead")
        let peers = CallRecord(id: "ura-peers", callerNumber: "1003", channelID: "live-1", bot: "echo", startedAt: Date(), instance: "ura-3")
        try await store.save(hungUp)
        try await store.save(peers)
        let journal = CallJournal(
            store: store, hub: CallEventHub(), owner: .init(instance: "ura-2", url: nil), logger: Logger(label: "test.records"))
        try await CallHarness.run(simulatorToUse: simulator, observer: journal, application: "ura-2", peers: Self.watch) { survivor in
            #expect(await survivor.waitUntil { dead.phone.wasContinuedInDialplan })
            var record = try await store.record(id: CrashedRun.callID)
            let deadline = ContinuousClock.now + .seconds(5)
            while record?.outcome != .lost, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                record = try await store.record(id: CrashedRun.callID)
            }
            #expect(record?.outcome == .lost)
            #expect(record?.turns.count == 1, "the turn the gone instance saved is kept")
            #expect(record?.timeline.last?.detail?.contains("ura-dead") == true, "\(record?.timeline.last?.detail ?? "")")
            #expect(try await store.record(id: hungUp.id)?.outcome == .lost)
            #expect(try await store.record(id: peers.id)?.outcome == nil, "a live peer's call is its own to close")
        }
    }
}

/// Plays a ura instance that claimed a broadcast call, bridged it to an externalMedia channel and
/// died: its events socket gone, its heartbeat standing still, everything left in place.
enum DeadInstance {
    struct Leftovers {
        var phone: SyntheticCaller
        var caller: Channel
        var bridge: String
        var mediaChannel: String
    }

    static func takeCallAndDie(on simulator: SimulatedAsterisk, application: String, heartbeat: Bool = true) async throws -> Leftovers {
        let url = URL(string: "http://127.0.0.1:\(simulator.port)")!
        let http = HTTPClient(name: "dead-instance")
        defer { http.shutdown() }
        let ari = ARIClient(
            configuration: .init(url: url, username: simulator.username, password: simulator.password), httpClient: http,
            logger: Logger(label: "dead"))
        var settings = WebSocketSettings.fast
        settings.url = url
        let connection = ARIEventConnection(
            baseURL: url, applications: [application], username: simulator.username, password: simulator.password,
            configuration: settings)
        connection.start()
        if heartbeat { try await ari.setGlobalVariable(PeerWatch.heartbeatVariable(for: application), to: "7") }
        var phone: SyntheticCaller?
        var caller: Channel?
        var elements = connection.elements.makeAsyncIterator()
        while caller == nil, let element = await elements.next() {
            switch element {
            case .connected:
                let deadline = ContinuousClock.now + .seconds(5)
                while !simulator.registeredApps.contains(application), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                phone = simulator.placeBroadcastCall(
                    from: "1066", to: "200", filter: "^\(application)$", timeout: .seconds(2), script: [.pause(.seconds(60))])
            case .event(let envelope):
                if case .callBroadcast(let broadcast) = envelope.event { _ = try await ari.claim(broadcast.channel.id, for: application) }
                if case .stasisStart(let start) = envelope.event { caller = start.channel }
            default:
                break
            }
        }
        let names = ResourceNames(callID: ResourceNamespace(instance: application).newCallID())
        try await ari.answer(caller!.id)
        _ = try await ari.createBridge(id: names.bridge, name: application)
        _ = try await ari.externalMedia(ExternalMediaRequest(
            app: application, format: "ulaw", externalHost: "127.0.0.1:9", channelID: names.mediaChannel))
        try await Task.sleep(for: .milliseconds(100))
        try await ari.addChannels([caller!.id, names.mediaChannel], to: names.bridge)
        await connection.stop()
        return Leftovers(phone: phone!, caller: caller!, bridge: names.bridge.rawValue, mediaChannel: names.mediaChannel.rawValue)
    }
}
