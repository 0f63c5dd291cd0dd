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
    static func ura(_ arguments: [String], server: TestServer, token: String = TestServer.token) async throws -> Result {
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
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return Result(
            status: status, output: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            error: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
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
}
