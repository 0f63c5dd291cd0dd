import Audio
import ARI
import AsteriskSimulator
import Foundation
import Testing
@testable import Calls

@Suite("Calls through the simulator", .timeLimit(.minutes(2)))
struct CallLifecycleTests {
    /// Which packets the impaired line loses, delays and reorders: fixed, so a run's verdict is
    /// about ura's jitter buffer rather than the dice (unseeded, the median window ranged
    /// 0.60–0.94 over runs; seeded, 0.85–0.95 with only the machine's timing left to vary).
    static let lineSeed: UInt64 = 11
    @Test(arguments: [AudioFormatCase.ulaw, .alaw, .slin, .g722])
    func loopbackCallReturnsWhatTheCallerSaid(format: AudioFormatCase) async throws {
        try await CallHarness.run(format: format.media) { harness in
            let speech = TestSignal.speechLike(seconds: 2, sampleRate: format.phoneRate)
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", sampleRate: format.phoneRate,
                script: [.pause(.milliseconds(300)), .say(speech), .pause(.milliseconds(800)), .hangUp])
            #expect(await phone.waitUntilScriptFinished(timeout: .seconds(15)))
            #expect(await phone.waitUntilEnded())
            let scores = TestSignal.windowedCorrelations(of: speech, in: phone.recording.samples, windowSeconds: 0.5, sampleRate: format.phoneRate)
            #expect(scores[scores.count / 2] > 0.9, "\(format): per-window correlations \(scores)")
            #expect(await harness.waitUntil { harness.isClean }, "left: \(harness.simulator.channels) \(harness.simulator.bridges)")
            #expect(harness.service.counters.outcomes["caller_hangup"] == 1)
        }
    }

    @Test func externalMediaStasisStartBeforeThePOSTAnswerIsStillRecognised() async throws {
        var configuration = SimulatorConfiguration(dialplanApp: CallHarness.application)
        configuration.externalMediaEventsBeforeResponse = true
        try await CallHarness.run(simulator: configuration) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.say(TestSignal.speechLike(seconds: 1)), .hangUp])
            #expect(await phone.waitUntilEnded())
            #expect(phone.recording.answeredAfter != nil)
            #expect(await harness.waitUntil { harness.isClean })
            #expect(harness.service.counters.callsStarted == 1)
        }
    }

    @Test func fiftyConcurrentCallsWithChurnLeaveNothingBehind() async throws {
        try await CallHarness.run(loopbackDelay: .zero) { harness in
            var phones: [SyntheticCaller] = []
            for index in 0..<50 {
                let talk = Duration.milliseconds(200 + (index * 37) % 900)
                phones.append(harness.simulator.placeCall(
                    from: "\(2000 + index)", to: "100", script: [.say(TestSignal.speechLike(seconds: 0.3)), .pause(talk), .hangUp]))
                if index % 10 == 9 { try await Task.sleep(for: .milliseconds(50)) }
            }
            for phone in phones { #expect(await phone.waitUntilEnded(timeout: .seconds(20))) }
            #expect(await harness.waitUntil(timeout: .seconds(20)) { harness.isClean }, "left \(harness.simulator.channels.count) channels")
            #expect(harness.service.counters.callsStarted == 50)
            #expect(harness.service.counters.outcomes["caller_hangup"] == 50, "\(harness.service.counters.outcomes)")
        }
    }

    @Test func leftoversOfACrashedRunAreCleanedAndItsCallerTakenUp() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: CallHarness.application))
        defer { simulator.stop() }
        // A "previous run": registers the application, makes a bridge and an externalMedia
        // channel with ura's prefix, leaves a caller in Stasis, and dies without cleaning up.
        let previous = try await CrashedRun.leaveLeftovers(on: simulator)
        #expect(simulator.bridges.contains { $0.id == previous.bridge })
        try await CallHarness.run(simulatorToUse: simulator) { harness in
            #expect(await harness.waitUntil { !harness.simulator.bridges.contains { $0.id == previous.bridge } })
            #expect(await harness.waitUntil { !harness.simulator.channels.contains { $0.id == previous.mediaChannel } })
            // The stranded caller gets a fresh session and hears the bot again.
            #expect(await harness.waitUntil { harness.service.activeCalls.contains { $0.caller.id.rawValue == previous.caller } })
            let phone = try #require(harness.simulator.phone(channelID: previous.caller))
            phone.hangUp()
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    @Test func gracefulShutdownSendsRemainingCallersBackToTheDialplan() async throws {
        try await CallHarness.run(drain: .milliseconds(300)) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            _ = phone
        }
        // run() returned only after the drain: the caller was continued (the simulated dialplan
        // then hangs up), and ura deleted its bridge and externalMedia channel.
    }

    @Test func callsArrivingDuringShutdownGoBackToTheDialplan() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: CallHarness.application))
        defer { simulator.stop() }
        try await CallHarness.run(drain: .seconds(2), simulatorToUse: simulator) { harness in
            let first = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(1)), .hangUp])
            #expect(await harness.waitUntil { harness.service.activeCalls.count == 1 })
            _ = first
        }
        #expect(simulator.bridges.isEmpty && simulator.channels.isEmpty)
    }

    @Test func exhaustedPortsSendTheCallerBackToTheDialplan() async throws {
        try await CallHarness.run { harness in
            var leases: [Media.PortLease] = []
            while let lease = try? harness.engine.ports.lease() { leases.append(lease) }
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(5))])
            #expect(await phone.waitUntilEnded())
            #expect(await harness.waitUntil { harness.service.counters.outcomes["rejected"] == 1 })
            for lease in leases { lease.release() }
            #expect(await harness.waitUntil { harness.isClean })
        }
    }

    @Test func impairedLineStaysIntelligibleAndStatisticsShowTheImpairments() async throws {
        try await CallHarness.run { harness in
            let speech = TestSignal.speechLike(seconds: 4)
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100",
                script: [.pause(.milliseconds(300)), .say(speech), .pause(.seconds(1))],
                impairments: Impairments(jitter: .milliseconds(30), loss: 0.03, reordering: 0.05, duplicates: 0.02, seed: Self.lineSeed))
            #expect(await phone.waitUntilScriptFinished(timeout: .seconds(15)))
            // The simulator impairs the phone's own leg, as a bad SIP line would: Asterisk forwards
            // what arrives, so ura sees the damage as arrival jitter, not as sequence gaps.
            let session = try #require(harness.service.activeCalls.first)
            let statistics = try #require(session.status.media?.statistics)
            #expect(statistics.jitterMilliseconds > 2, "jitter \(statistics.jitterMilliseconds) ms")
            #expect(phone.statistics.framesLost > 0 && phone.statistics.framesReordered > 0)
            phone.hangUp()
            #expect(await phone.waitUntilEnded())
            // Lost and swapped frames shift what follows, so intelligibility is judged per half
            // second; a clean line scores above 0.99, noise near 0.
            let scores = TestSignal.windowedCorrelations(of: speech, in: phone.recording.samples, windowSeconds: 0.5, sampleRate: 8000)
            // The same windows against an unrelated signal of the same kind: what "not heard" scores.
            let unrelated = TestSignal.windowedCorrelations(
                of: TestSignal.speechLike(seconds: 4).reversed(), in: phone.recording.samples, windowSeconds: 0.5, sampleRate: 8000)
            #expect(scores[scores.count / 2] > 0.5, "per-window correlations \(scores)")
            #expect(scores[scores.count / 2] > unrelated[unrelated.count / 2] + 0.2, "heard \(scores) unrelated \(unrelated)")
            #expect(await harness.waitUntil { harness.isClean })
        }
    }
}

/// The formats tested end to end, with the phone rate that suits each.
enum AudioFormatCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case ulaw, alaw, slin, g722
    var media: Audio.AudioFormat { Audio.AudioFormat(rawValue: rawValue)! }
    var phoneRate: Int { self == .g722 ? 16000 : 8000 }
    var testDescription: String { rawValue }
}

import Media

@Suite("Events socket failures", .timeLimit(.minutes(2)))
struct EventSocketFailureTests {
    @Test func droppedSocketKeepsAudioFlowingAndCleanupHappensAtHangup() async throws {
        try await CallHarness.run { harness in
            let speech = TestSignal.speechLike(seconds: 3)
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", script: [.pause(.milliseconds(500)), .say(speech), .pause(.seconds(1))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            try await Task.sleep(for: .milliseconds(800))
            harness.simulator.dropEventConnections(refusingReconnectsFor: .seconds(1))
            #expect(await harness.waitUntil { !harness.service.isConnected })
            #expect(await phone.waitUntilScriptFinished(timeout: .seconds(15)))
            // Media never depended on the socket: the echo of the whole utterance came back.
            let scores = TestSignal.windowedCorrelations(of: speech, in: phone.recording.samples, windowSeconds: 0.5, sampleRate: 8000)
            #expect(scores[scores.count / 2] > 0.9, "\(scores)")
            #expect(await harness.waitUntil { harness.service.isConnected && harness.simulator.registeredApps.contains(CallHarness.application) })
            #expect(harness.service.activeCalls.count == 1)
            phone.hangUp()
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(harness.service.counters.reconnects >= 1)
        }
    }

    @Test func aHangupMissedWhileDisconnectedIsFoundByReconcile() async throws {
        try await CallHarness.run { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(30))])
            #expect(await harness.waitUntil { harness.service.activeCalls.first?.status.phase == "active" })
            harness.simulator.dropEventConnections(refusingReconnectsFor: .milliseconds(700))
            try await Task.sleep(for: .milliseconds(100))
            phone.hangUp()
            // Its events went nowhere; after reconnecting, ura notices the caller is gone.
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
            #expect(harness.service.counters.outcomes["caller_gone"] == 1, "\(harness.service.counters.outcomes)")
        }
    }
}
