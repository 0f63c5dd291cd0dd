import AsteriskSimulator
import Foundation
import ProcessTesting
import Testing
@testable import ura

/// One `ura serve` in front of two Asterisk servers (`ARI_URL` lists both): each call is driven
/// on the server it came from, and losing one server leaves the other's calls alone.
@Suite(.serialized) struct SeveralAsteriskTests {
    /// A 440 Hz tone of `seconds` at 8 kHz, loud enough to tell from silence.
    static func tone(seconds: Double) -> [Int16] {
        (0..<Int(seconds * 8000)).map { Int16(8000 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
    }

    /// Root mean square of the phone's audio between `from` and `to` after it was answered.
    static func level(_ recording: CallRecording, from: Duration, to: Duration) -> Double {
        let start = recording.answeredAfter ?? .zero
        func index(_ offset: Duration) -> Int {
            let seconds = Double((start + offset).components.seconds) + Double((start + offset).components.attoseconds) / 1e18
            return min(recording.samples.count, Int(seconds * Double(recording.sampleRate)))
        }
        let window = recording.samples[index(from)..<index(to)]
        guard !window.isEmpty else { return 0 }
        return (window.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(window.count)).squareRoot()
    }

    @Test(.timeLimit(.minutes(2)))
    func losingOneAsteriskLeavesTheOtherServersCallsAlone() async throws {
        let a = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        let b = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { a.stop(); b.stop() }
        let directory = try CLITests.emptyDirectory
        let environment = [
            "ARI_URL": "http://127.0.0.1:\(a.port) http://127.0.0.1:\(b.port)", "ARI_USERNAME": a.username, "ARI_PASSWORD": a.password,
            "RECORDS_PATH": directory.appending(path: "records.sqlite").path, "URA_BOT": "loopback", "LOOPBACK_DELAY_MS": "0",
            "RTP_PORT_START": "41300", "RTP_PORT_END": "41399", "SHUTDOWN_DRAIN_SECONDS": "1", "OPERATOR_LISTEN": "127.0.0.1:\(Int.random(in: 19000...19999))",
        ]
        // The shell tells the test ura's pid and keeps its log.
        let script = #""$URA" serve 2>> ura.log & echo $! > ura.pid; wait $!"#
        let shell = URL(fileURLWithPath: "/bin/sh")
        let serve = try await Subprocess.run(
            shell, arguments: ["-c", script],
            environment: environment.merging(["PATH": "/usr/bin:/bin", "URA": try CLITests.binary.path]) { own, _ in own },
            in: directory, guardSeconds: 60
        ) {
            #expect(try await CrashRecoveryTests.waitFor { a.registeredApps.contains("ura") && b.registeredApps.contains("ura") })
            // The caller on A talks after B is gone; ura's loopback must still send it back.
            let onA = a.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(Self.tone(seconds: 2)), .pause(.seconds(30))])
            let onB = b.placeCall(from: "2001", to: "100", script: [.pause(.seconds(30))])
            #expect(try await CrashRecoveryTests.waitFor { a.bridges.count == 1 && b.bridges.count == 1 })
            #expect(a.bridges[0].channels.contains(try #require(onA.channelID)), "A's caller is bridged on A")
            #expect(b.bridges[0].channels.contains(try #require(onB.channelID)), "B's caller is bridged on B")

            b.stop()
            try await Task.sleep(for: .seconds(5))
            #expect(onA.status == .answered)
            #expect(Self.level(onA.recording, from: .milliseconds(3200), to: .milliseconds(4800)) > 1000, "A's caller hears itself")

            // Still ready: one server is enough to take calls (the exec probe of deploy/kubernetes).
            let health = try await CLITests.ura(["health", "--ready"], environment: ["OPERATOR_LISTEN": environment["OPERATOR_LISTEN"]!])
            #expect(health.status == 0, "\(health.standardError)")

            // A keeps taking calls while B stays away.
            let next = a.placeCall(from: "1002", to: "100", script: [.pause(.seconds(30))])
            #expect(try await CrashRecoveryTests.waitFor { next.status == .answered && a.bridges.count == 2 })
            onA.hangUp()
            next.hangUp()
            #expect(try await CrashRecoveryTests.waitFor { a.bridges.isEmpty && a.channels.isEmpty }, "nothing left on A")
            let pid = try String(contentsOf: directory.appending(path: "ura.pid"), encoding: .utf8)
            kill(try #require(Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines))), SIGTERM)
        }
        #expect(!serve.timedOut)
        let log = (try? String(contentsOf: directory.appending(path: "ura.log"), encoding: .utf8)) ?? ""
        #expect(serve.status == 0, "\(log.suffix(2000))")
        #expect(log.contains("asterisk=127.0.0.1:\(b.port)") || log.contains("\"asterisk\":\"127.0.0.1:\(b.port)\""),
                "log lines say which Asterisk they concern")
    }

    @Test func checkReportsEachServer() async throws {
        let a = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { a.stop() }
        let closed = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        let closedPort = closed.port
        closed.stop()
        let result = try await CLITests.ura(["check"], environment: [
            "ARI_URL": "http://127.0.0.1:\(a.port),http://127.0.0.1:\(closedPort)", "ARI_USERNAME": a.username, "ARI_PASSWORD": a.password,
        ])
        #expect(result.status == 1, "one server cannot be used")
        #expect(result.standardOutput.contains("asterisk http://127.0.0.1:\(a.port): reachable, version 22.10.1"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("stasis app \"ura\" http://127.0.0.1:\(a.port): free"))
        #expect(result.standardOutput.contains("asterisk http://127.0.0.1:\(closedPort): "))
    }
}
