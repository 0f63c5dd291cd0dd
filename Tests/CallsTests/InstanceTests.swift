import AsteriskSimulator
import Foundation
import Testing
@testable import Calls

/// Several ura instances on one Asterisk, each with its own application and id namespace, sharing
/// calls through `StasisBroadcast()` (captures/stasis-broadcast-22.10.1.jsonl); and the reconcile
/// that runs after every connect, which must touch only what is its own.
@Suite("Instances and reconcile", .timeLimit(.minutes(2)))
struct InstanceTests {
    @Test func resourceNamespacesNeverOverlap() {
        let one = ResourceNamespace(instance: "Host A/ura")
        let two = ResourceNamespace(instance: "host-a-ura-2")
        #expect(one.instance == "host-a-ura")
        let id = one.newCallID()
        #expect(id.hasPrefix("ura-host-a-ura.") && one.isOurs(id + "-bridge"))
        #expect(!two.isOurs(id) && !one.isOurs(two.newCallID()), "a prefix of another instance's name owns nothing of it")
        #expect(!ResourceNamespace.single.isOurs(id) && !one.isOurs(ResourceNamespace.single.newCallID()))
        #expect(ResourceNamespace.single.isOurs("ura-0123456789ab-media"), "earlier versions' leftovers stay the single instance's")
        #expect(ResourceNamespace(instance: "///").instance == nil)
    }

    @Test func aCallerWhoArrivesWhileReconcileListsTheChannelsIsNotTakenForGone() async throws {
        var configuration = SimulatorConfiguration(dialplanApp: CallHarness.application)
        configuration.channelListDelay = .milliseconds(600)
        try await CallHarness.run(simulator: configuration) { harness in
            // The first reconcile is listing the channels (slowly) right now.
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            try await Task.sleep(for: .milliseconds(1500))
            #expect(phone.status == .answered)
            #expect(harness.service.counters.outcomes["caller_gone"] == nil, "\(harness.service.counters.outcomes)")
            phone.hangUp()
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    @Test func twoInstancesShareBroadcastCallsAndNeverTouchEachOthersResources() async throws {
        try await CallHarness.run(configure: { $0.namespace = ResourceNamespace(instance: "one") }, application: "ura-1") { first in
            try await CallHarness.run(
                simulatorToUse: first.simulator, configure: { $0.namespace = ResourceNamespace(instance: "two") }, application: "ura-2"
            ) { second in
                let phones = (0..<6).map { index in
                    first.simulator.placeBroadcastCall(
                        from: "10\(index)", to: "200", filter: "^ura-", timeout: .seconds(2), script: [.pause(.seconds(30))])
                }
                #expect(await first.waitUntil { phones.allSatisfy { $0.status == .answered } })
                let won = first.service.counters.claimsWon + second.service.counters.claimsWon
                #expect(won == 6, "each call claimed once: \(first.service.counters) \(second.service.counters)")
                #expect(await first.waitUntil { first.service.counters.claimsLost + second.service.counters.claimsLost == 6 })
                #expect(first.service.activeCalls.count + second.service.activeCalls.count == 6)

                // The second instance reconnects and reconciles while the first has live calls.
                first.simulator.dropEventConnections(refusingReconnectsFor: .milliseconds(300))
                #expect(await second.waitUntil { second.service.counters.reconnects >= 1 && second.service.isConnected })
                #expect(await first.waitUntil { first.service.isConnected })
                try await Task.sleep(for: .milliseconds(500))
                #expect(first.service.counters.leftoversRemoved == 0 && second.service.counters.leftoversRemoved == 0)
                #expect(phones.allSatisfy { $0.status == .answered }, "no instance hung up the other's calls")
                #expect(first.service.activeCalls.count + second.service.activeCalls.count == 6)

                for phone in phones { phone.hangUp() }
                #expect(await first.waitUntil { first.service.activeCalls.isEmpty && second.service.activeCalls.isEmpty })
                let outcomes = [first.service.counters.outcomes, second.service.counters.outcomes]
                #expect(outcomes.map { $0["caller_hangup"] ?? 0 }.reduce(0, +) == 6, "\(outcomes)")
                #expect(await first.waitUntil { first.simulator.bridges.isEmpty && first.simulator.channels.isEmpty })
            }
        }
    }

    @Test func aDrainingInstanceLeavesBroadcastCallsToTheOthers() async throws {
        try await CallHarness.run(configure: { $0.maximumCalls = 0 }, application: "ura-1") { full in
            try await CallHarness.run(simulatorToUse: full.simulator, configure: { $0.namespace = ResourceNamespace(instance: "b") }, application: "ura-2") { other in
                let phone = full.simulator.placeBroadcastCall(from: "1001", to: "200", filter: "^ura-", timeout: .seconds(2), script: [.pause(.seconds(30))])
                #expect(await other.waitUntil { phone.status == .answered })
                #expect(full.service.counters.claimsDeclined == 1 && full.service.counters.claimsWon == 0)
                #expect(other.service.counters.claimsWon == 1)
                phone.hangUp()
                #expect(await other.waitUntil { other.service.activeCalls.isEmpty })
            }
        }
    }
}
