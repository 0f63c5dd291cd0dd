import CallRecordsTesting
import Foundation
import Testing

/// `ura calls …` run as a program against a live operator API.
@Suite struct CallsCLITests {
    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

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
    /// - Parameter whileRunning: done after the program started and before waiting for its end.
    static func ura(
        _ arguments: [String], server: TestServer, token: String = TestServer.token, whileRunning: () async throws -> Void = {}
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-calls-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.environment = [
            "PATH": "/usr/bin:/bin", "OPERATOR_LISTEN": "127.0.0.1:\(server.baseURL.port ?? 0)", "OPERATOR_TOKEN": token,
        ]
        process.currentDirectoryURL = directory
        // Files, not pipes: reading pipes would block threads of the cooperative pool, which the
        // server under test needs, while the program waits for events.
        let outputURL = directory.appending(path: "stdout")
        let errorURL = directory.appending(path: "stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let (ended, endedSink) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { endedSink.yield($0.terminationStatus) }
        try process.run()
        do {
            try await whileRunning()
        } catch {
            process.terminate()
            throw error
        }
        // A guard, not a measurement: a program that never ends is stopped, and the test then fails on its status.
        let pid = process.processIdentifier
        let status: Int32 = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                var iterator = ended.makeAsyncIterator()
                return await iterator.next() ?? -1
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                if !Task.isCancelled { kill(pid, SIGTERM) }
                return nil
            }
            var status: Int32 = -1
            for await result in group {
                if let result {
                    status = result
                    group.cancelAll()
                }
            }
            return status
        }
        return Result(
            status: status, output: try String(contentsOf: outputURL, encoding: .utf8), error: try String(contentsOf: errorURL, encoding: .utf8))
    }

    @Test func listShowsActiveAndRecentCallsAsATable() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let result = try await Self.ura(["calls", "list"], server: server)
            #expect(result.status == 0, "\(result.error)")
            let lines = result.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) } == ["live-1", "done-2", "done-1"])
            #expect(lines[2].contains("caller_hangup"))

            let recent = try await Self.ura(["calls", "list", "--state", "recent", "--caller", "1001"], server: server)
            #expect(recent.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) } == ["done-1"])
        }
    }

    @Test func showPrintsTurnsLatenciesRTPAndCost() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let result = try await Self.ura(["calls", "show", "done-1"], server: server)
            #expect(result.status == 0, "\(result.error)")
            for fragment in [
                "call done-1 (ended)", "caller:   1001", "quero marcar uma consulta (4 partials)", "voice-to-voice 640 ms", "[barge-in]",
                "barge-in stop 35 ms", "rtp: received 2100, lost 3, late 1", "deepgram stt_audio", "barge_in – turn 1",
            ] {
                #expect(result.output.contains(fragment), "missing \(fragment) in:\n\(result.output)")
            }
        }
    }

    @Test func hangupAsksTheAPIAndUnknownCallsExit3() async throws {
        let (control, store) = try await CallsRouteTests.populated()
        try await TestServer.with(control: control, records: store) { server in
            let hangup = try await Self.ura(["calls", "hangup", "live-1"], server: server)
            #expect(hangup.status == 0, "\(hangup.error)")
            #expect(await control.actions == [.hangUp("live-1")])

            let unknown = try await Self.ura(["calls", "show", "nope"], server: server)
            #expect(unknown.status == 3)
            #expect(unknown.error.contains("call_not_found"))
            let ended = try await Self.ura(["calls", "hangup", "done-1"], server: server)
            #expect(ended.status == 1)
            #expect(ended.error.contains("call_ended"))
        }
    }

    @Test func aWrongTokenExits1WithoutPrintingIt() async throws {
        try await TestServer.with { server in
            let result = try await Self.ura(["calls", "list"], server: server, token: "not-the-token")
            #expect(result.status == 1)
            #expect(result.error.contains("OPERATOR_TOKEN"))
            #expect(!result.error.contains("not-the-token"))
            #expect(result.output.isEmpty)
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
            #expect(result.status == 0, "\(result.error)")
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == ServerSentEventsTests.simulatedCall("c1").count, "\(result.output)")
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
            #expect(result.error.contains("call_not_found"))
        }
    }
}
