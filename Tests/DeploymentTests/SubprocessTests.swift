import Foundation
import Testing

/// The runner the CLI and script tests stand on: it must read everything, never stall, and stop
/// a program that does not end.
@Suite struct SubprocessTests {
    static var scratchDirectory: URL {
        get throws {
            let directory = FileManager.default.temporaryDirectory.appending(path: "ura-subprocess-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory
        }
    }

    static func shell(_ script: String, in directory: URL, guardSeconds: Double = 30) async throws -> Subprocess.Result {
        try await Subprocess.run(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"],
            in: directory, guardSeconds: guardSeconds)
    }

    /// Whether `pid` has ended (a zombie has; only its entry is left), waiting a little: a
    /// process closes its files, which ends the run, a moment before it becomes a zombie.
    static func hasEnded(_ pid: Int32) async throws -> Bool {
        for _ in 0..<500 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let nameEnd = stat.lastIndex(of: ")")
            else { return true }
            let state = stat[stat.index(after: nameEnd)...].trimmingCharacters(in: .whitespaces).first
            if state == "Z" || state == "X" { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static let lineCount = 200_000  // about 1.2 MB a stream, many times a pipe's buffer
    static let ascending = (1...lineCount).map { "\($0)\n" }.joined()
    static let descending = (1...lineCount).reversed().map { "\($0)\n" }.joined()

    /// Whichever stream the program fills first, a runner reading the other one first would wait
    /// forever on a program blocked on the full pipe.
    @Test(arguments: [
        "seq 1 \(lineCount); seq \(lineCount) -1 1 >&2",
        "seq \(lineCount) -1 1 >&2; seq 1 \(lineCount)",
    ])
    func capturesMegabytesOnBothStreamsWhicheverComesFirst(script: String) async throws {
        let result = try await Self.shell(script, in: try Self.scratchDirectory)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(result.standardOutput.utf8.count == Self.ascending.utf8.count)
        #expect(result.standardOutput == Self.ascending)
        #expect(result.standardError.utf8.count == Self.descending.utf8.count)
        #expect(result.standardError == Self.descending)
    }

    /// A program that never ends is stopped with what it started, keeping what it printed; one
    /// that ignores `SIGTERM` gets `SIGKILL`.
    @Test(arguments: [("", SIGTERM), ("trap '' TERM; ", SIGKILL)])
    func killsAHangingProgramAndItsChildrenAtTheGuardTime(ignoring: String, signal: Int32) async throws {
        let result = try await Self.shell(
            "\(ignoring)echo started; sleep 600 & echo $! >&2; wait", in: try Self.scratchDirectory, guardSeconds: 1)
        #expect(result.timedOut)
        #expect(result.status == signal)
        #expect(result.standardOutput == "started\n")
        let child = try #require(Int32(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try await Self.hasEnded(child), "the program's child \(child) outlived it")
    }

    /// The program waits for the test to answer while it runs. A runner that blocked a pool thread
    /// per pipe would leave the test no thread to answer with where the pool has two (as on the
    /// two-core build machine), and this test would hang until its time limit.
    @Test(.timeLimit(.minutes(1)))
    func theCallerKeepsRunningWhileTheProgramRuns() async throws {
        let directory = try Self.scratchDirectory
        async let result = Self.shell("touch waiting; until [ -e go ]; do sleep 0.05; done; echo went", in: directory)
        while !FileManager.default.fileExists(atPath: directory.appending(path: "waiting").path) {
            try await Task.sleep(for: .milliseconds(20))
        }
        try Data().write(to: directory.appending(path: "go"))
        let finished = try await result
        #expect(!finished.timedOut)
        #expect(finished.standardOutput == "went\n")
    }
}
