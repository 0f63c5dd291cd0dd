import Foundation
import ProcessTesting
import Testing

/// `MediaBench serve` is ura's per-call media loop driven from outside: any RTP generator (here
/// `MediaBench drive`) plays Asterisk's part, and the server reports on SIGUSR1 and at SIGTERM.
@Suite struct MediaServeTests {
    @Test func anOutsideGeneratorDrivesServedCallsAndTheServerReportsOnSignals() async throws {
        try MediaBenchBinary.requireFreshBuild()
        let directory = FileManager.default.temporaryDirectory.appending(path: "media-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let portsFile = directory.appending(path: "ports.txt").path

        let server = Process()
        server.executableURL = MediaBenchBinary.url
        server.arguments = ["serve", "5", "--port-base", String(Int.random(in: 44000...44800)), "--ports-file", portsFile]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = output
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        let drive = try await Subprocess.run(
            MediaBenchBinary.url, arguments: ["drive", "--ports-file", portsFile, "--seconds", "2", "--pid", String(server.processIdentifier)],
            environment: [:], in: directory, guardSeconds: 60)
        let driven = MediaBenchBinary.fields(of: try #require(drive.standardOutput.split(separator: "\n").last { $0.hasPrefix("media: ") }))
        #expect(driven["drive_calls"] == "5")
        #expect(driven["lost"] == "0", "\(drive.standardOutput)")
        #expect(Int(driven["echoed"] ?? "") ?? 0 >= 450)

        kill(server.processIdentifier, SIGUSR1)
        try await Task.sleep(for: .milliseconds(300))
        kill(server.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while server.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.isRunning)
        #expect(server.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let reports = printed.split(separator: "\n").filter { $0.hasPrefix("media: ") }
        // One on SIGUSR1, one at exit.
        #expect(reports.count == 2, "\(printed)")
        let last = MediaBenchBinary.fields(of: try #require(reports.last))
        #expect(last["connected"] == "5")
        #expect(Int(last["received"] ?? "") ?? 0 >= 450)
        #expect(last["lost"] == "0")
        #expect(!FileManager.default.fileExists(atPath: portsFile), "the ports file outlived the server")
    }
}
