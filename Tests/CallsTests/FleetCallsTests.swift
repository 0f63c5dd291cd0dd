import ARI
import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import Synchronization
import Testing
@testable import CallOperations

/// What an instance does with an operator's request for a call another instance carries, when
/// that instance cannot be asked (the fleet forwarding itself is in DeploymentTests/FleetTests).
@Suite struct FleetCallsTests {
    static func fleet(ownerURL: String?, forwarding: FleetCalls.Forwarding?) async throws -> (FleetCalls, CallRecord) {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        let theirs = CallRecord(
            id: "ura-theirs", callerNumber: "1001", channelID: "chan-9", bot: "llm", startedAt: Date(), instance: "ura-9", ownerURL: ownerURL)
        try await store.save(theirs)
        try await store.save(CallRecord(id: "ura-mine", callerNumber: "1002", channelID: "chan-1", bot: "llm", startedAt: Date(), instance: "ura-1"))
        try await store.save(CallRecord(id: "ura-old", callerNumber: "1003", channelID: "chan-0", bot: "llm", startedAt: Date()))
        var ended = CallRecord(id: "ura-ended", callerNumber: "1004", channelID: "chan-8", bot: "llm", startedAt: Date(), instance: "ura-9")
        ended.endedAt = Date()
        ended.outcome = .completed
        try await store.save(ended)
        return (FleetCalls(store: store, instance: "ura-1", forwarding: forwarding, logger: Logger(label: "test.fleet")), theirs)
    }

    @Test func onlyOtherInstancesLiveCallsAreTheirs() async throws {
        let (fleet, theirs) = try await Self.fleet(ownerURL: nil, forwarding: nil)
        #expect(await fleet.activeElsewhere().map(\.id) == [theirs.id])
        #expect(await fleet.carried(callID: theirs.id)?.id == theirs.id)
        for id in ["ura-mine", "ura-old", "ura-ended", "nope"] { #expect(await fleet.carried(callID: id) == nil, "\(id)") }
    }

    @Test(arguments: [false, true])
    func withoutItsOwnerHangUpGoesThroughAsteriskAndSayIsAConflictNamingIt(ownerUnreachable: Bool) async throws {
        let http = HTTPClient(name: "fleet-test")
        defer { http.shutdown() }
        let (fleet, theirs) = try await Self.fleet(
            ownerURL: ownerUnreachable ? "http://127.0.0.1:9" : nil,
            forwarding: ownerUnreachable ? .init(http: http, token: "t", trustedCertificatesPath: nil) : nil)
        let hungUp = Mutex<[ChannelID]>([])
        try await fleet.act(.hangUp, on: theirs) { channel in hungUp.withLock { $0.append(channel) } }
        #expect(hungUp.withLock { $0 } == [ChannelID("chan-9")])
        for request in [FleetCalls.Request.say(text: "hi", interrupt: false), .transfer(destination: "PJSIP/1002")] {
            do {
                try await fleet.act(request, on: theirs) { _ in Issue.record("only a hang-up goes through Asterisk") }
                Issue.record("a request the owner never got succeeded")
            } catch {
                guard case .elsewhere(let reason) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(reason.contains("ura-9"), "\(reason)")
            }
        }
    }
}
