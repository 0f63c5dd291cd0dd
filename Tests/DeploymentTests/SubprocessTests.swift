import Foundation
import ProcessTesting
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

    static func shell(
        _ script: String, in directory: URL, guardSeconds: Double = 30, whileRunning: () async throws -> Void = {}
    ) async throws -> Subprocess.Result {
        try await Subprocess.run(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"],
            in: directory, guardSeconds: guardSeconds, whileRunning: whileRunning)
    }

    /// Waits until `file` exists in `directory`, for a script that announces a step by creating it.
    static func awaitFile(_ file: String, in directory: URL) async throws {
        while !FileManager.default.fileExists(atPath: directory.appending(path: file).path) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Reads the process ID a script wrote to `file`.
    static func pid(in file: String, of directory: URL) throws -> Int32 {
        let text = try String(contentsOf: directory.appending(path: file), encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    struct Interrupted: Error, Equatable {}

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

    /// The program starts blocking no signal, though the pool thread that called the runner blocks
    /// most; otherwise `SIGTERM` would not stop `ura` gracefully, nor the guard stop it at all.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func theProgramStartsWithNoSignalBlocked() async throws {
        // Read with shell builtins only: a shell blocks every signal while it forks a command, so
        // `grep` reading its parent's status could catch that moment (the test failed 1 run in 3).
        let result = try await Self.shell(
            #"while read -r key value; do [ "$key" = SigBlk: ] && echo "SigBlk: $value"; done < /proc/$$/status; true"#,
            in: try Self.scratchDirectory)
        #expect(result.status == 0)
        let mask = result.standardOutput.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(mask.flatMap { UInt64($0, radix: 16) } == 0, "blocked: \(result.standardOutput)")
    }

    /// The program waits for the test to answer while it runs. A runner that blocked a pool thread
    /// per pipe would leave the test no thread to answer with where the pool has two (as on the
    /// two-core build machine), and this test would hang until its time limit.
    @Test(.timeLimit(.minutes(1)))
    func theCallerKeepsRunningWhileTheProgramRuns() async throws {
        let directory = try Self.scratchDirectory
        async let result = Self.shell("touch waiting; until [ -e go ]; do sleep 0.05; done; echo went", in: directory)
        try await Self.awaitFile("waiting", in: directory)
        try Data().write(to: directory.appending(path: "go"))
        let finished = try await result
        #expect(!finished.timedOut)
        #expect(finished.standardOutput == "went\n")
    }

    /// What the caller does while the program runs happens before the runner waits for the end,
    /// so the program can wait for it.
    @Test(.timeLimit(.minutes(1)))
    func whileRunningActsBeforeTheProgramEnds() async throws {
        let directory = try Self.scratchDirectory
        let result = try await Self.shell("touch waiting; until [ -e go ]; do sleep 0.05; done; echo went", in: directory) {
            try await Self.awaitFile("waiting", in: directory)
            try Data().write(to: directory.appending(path: "go"))
        }
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(result.standardOutput == "went\n")
    }

    /// A caller that fails while the program runs gets its error, and the program and what it
    /// started are stopped rather than left behind (here they would run for ten minutes).
    @Test(.timeLimit(.minutes(1)), arguments: ["", "trap '' TERM; "])
    func aFailureWhileRunningStopsTheProgramAndItsChildren(ignoring: String) async throws {
        let directory = try Self.scratchDirectory
        await #expect(throws: Interrupted()) {
            let script = "\(ignoring)echo $$ > program; sleep 600 & echo $! > child.tmp; mv child.tmp child; wait"
            _ = try await Self.shell(script, in: directory, guardSeconds: 600) {
                try await Self.awaitFile("child", in: directory)
                throw Interrupted()
            }
        }
        for file in ["program", "child"] {
            let pid = try Self.pid(in: file, of: directory)
            #expect(try await Self.hasEnded(pid), "the \(file) \(pid) outlived the failure")
        }
    }
}
