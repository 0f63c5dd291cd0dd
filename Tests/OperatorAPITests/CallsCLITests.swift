import CallRecordsTesting
import Foundation
import ProcessTesting
import Testing

/// `ura calls …` run as a program against a live operator API.
@Suite struct CallsCLITests {
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "no ura binary beside the tests; `swift build --build-tests` builds it" }
    }

    static func binary() throws -> URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "ura")
        let candidates = [besideTests, Bundle.main.bundleURL.appending(path: "ura")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { throw NotBuilt() }
        return found
    }

    /// Runs `ura` with only the given environment, in an empty directory (no .env).
    ///
    /// A guard, not a measurement: a program that runs a minute is stopped, and the test then fails on its status.
    /// - Parameter whileRunning: done after the program started and before waiting for its end.
    static func ura(
        _ arguments: [String], server: TestServer, token: String = TestServer.token, extraEnvironment: [String: String] = [:],
        whileRunning: () async throws -> Void = {}
    ) async throws -> Subprocess.Result {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-calls-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await Subprocess.run(
            try binary(), arguments: arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "OPERATOR_LISTEN": "127.0.0.1:\(server.baseURL.port ?? 0)", "OPERATOR_TOKEN": token,
            ].merging(extraEnvironment) { _, extra in extra },
            in: directory, guardSeconds: 60, whileRunning: whileRunning)
    }

    @Test func listShowsActiveAndRecentCallsAsATable() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let result = try await Self.ura(["calls", "list"], server: server)
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) } == ["live-1", "done-2", "done-1"])
            #expect(lines[2].contains("caller_hangup"))

            let recent = try await Self.ura(["calls", "list", "--state", "recent", "--caller", "1001"], server: server)
            let recentIDs = recent.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) }
            #expect(recentIDs == ["done-1"])
        }
    }

    @Test func showPrintsTurnsLatenciesRTPAndCost() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let result = try await Self.ura(["calls", "show", "done-1"], server: server)
            #expect(result.status == 0, "\(result.standardError)")
            for fragment in [
                "call done-1 (ended)", "caller:   1001", "quero marcar uma consulta (4 partials)", "voice-to-voice 640 ms", "[barge-in]",
                "barge-in stop 35 ms", "rtp: received 2100, lost 3, late 1", "deepgram stt_audio", "barge_in – turn 1",
            ] {
                #expect(result.standardOutput.contains(fragment), "missing \(fragment) in:\n\(result.standardOutput)")
            }
        }
    }

    @Test func hangupAsksTheAPIAndUnknownCallsExit3() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let hangup = try await Self.ura(["calls", "hangup", "live-1"], server: server)
            #expect(hangup.status == 0, "\(hangup.standardError)")
            #expect(await control.actions == [.hangUp("live-1")])

            let unknown = try await Self.ura(["calls", "show", "nope"], server: server)
            #expect(unknown.status == 3)
            #expect(unknown.standardError.contains("call_not_found"))
            let ended = try await Self.ura(["calls", "hangup", "done-1"], server: server)
            #expect(ended.status == 1)
            #expect(ended.standardError.contains("call_ended"))
        }
    }

    @Test func aWrongTokenExits1WithoutPrintingIt() async throws {
        try await TestServer.with { server in
            let wrong = "not-the-token-but-long-enough-to-be-one"
            let result = try await Self.ura(["calls", "list"], server: server, token: wrong)
            #expect(result.status == 1)
            #expect(result.standardError.contains("OPERATOR_TOKEN"))
            #expect(!result.standardError.contains(wrong))
            #expect(result.standardOutput.isEmpty)
        }
    }

    @Test func watchPrintsAWholeCallAndEndsWithIt() async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "c1", outcome: nil)])
        try await TestServer.with(control: control) { server in
            let result = try await Self.ura(["calls", "watch", "c1"], server: server) {
                // Bounded wait for the program to subscribe; it fails the test below rather than hanging.
                var polls = 0
                while server.events.subscriberCount == 0, polls < 600 {
                    try await Task.sleep(for: .milliseconds(50))
                    polls += 1
                }
                for event in ServerSentEventsTests.simulatedCall("c1") { server.events.publish(event) }
            }
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.count == ServerSentEventsTests.simulatedCall("c1").count, "\(result.standardOutput)")
            #expect(lines.first == "c1  call_started  from 1001, bot echo")
            #expect(lines.contains("c1  transcript_final  #0 quero marcar uma consulta"))
            #expect(lines.contains("c1  barge_in  #0 barge-in, stopped in 35 ms"))
            #expect(lines.last == "c1  call_ended  caller_hangup")
        }
    }

    @Test func watchingAnUnknownCallExits3() async throws {
        try await TestServer.with { server in
            let result = try await Self.ura(["calls", "watch", "nope"], server: server)
            #expect(result.status == 3)
            #expect(result.standardError.contains("call_not_found"))
        }
    }

    /// With OPERATOR_TLS_CERT set, `ura calls` speaks HTTPS and trusts that certificate.
    @Test func callsSpeaksHTTPSToAnHTTPSServer() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store, tls: TLSTests.tls) { server in
            let result = try await Self.ura(
                ["calls", "list"], server: server,
                extraEnvironment: ["OPERATOR_TLS_CERT": TLSTests.tls.certificatePath, "OPERATOR_TLS_KEY": TLSTests.tls.privateKeyPath])
            #expect(result.status == 0, "stderr: \(result.standardError)")
            #expect(result.standardOutput.contains("live-1"))
        }
    }
}
