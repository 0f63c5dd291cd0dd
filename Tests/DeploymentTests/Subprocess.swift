import Foundation

/// Runs a program and collects what it printed, for the CLI and script tests.
///
/// Both pipes are read on threads of their own (`PipeDrain`) and the wait for the end is a
/// suspension, so a running program holds no thread of the cooperative pool: the tests' other
/// tasks keep running, and a program that fills one pipe while we read the other cannot stall.
struct Subprocess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
        /// Whether the program had to be killed because it outlived the guard time.
        ///
        /// `status` then says how: `SIGTERM`, or `SIGKILL` if it ignored that.
        let timedOut: Bool
    }

    /// A program that survived `SIGKILL`, which only a hung kernel call explains.
    struct Unkillable: Error, CustomStringConvertible {
        let executable: String
        let pid: Int32
        var description: String { "\(executable) (pid \(pid)) outlived its guard time and did not exit after SIGKILL" }
    }

    /// How long a program gets to end after each step of stopping it.
    static let stopGrace = Duration.seconds(2)

    /// Runs `executable` with exactly `environment` (nothing inherited) in `directory`.
    ///
    /// A program still running (or whose pipes are still open) after `guardSeconds` is stopped
    /// with its whole process group, `SIGTERM` first and `SIGKILL` if that does not end it, and
    /// reported as timed out with what it printed until then; so a bug that makes `ura serve`
    /// start for real cannot hang the test run.
    ///
    /// Cancelling the calling task kills the program at once and throws `CancellationError`.
    static func run(
        _ executable: URL, arguments: [String], environment: [String: String],
        in directory: URL, guardSeconds: Double = 30
    ) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let outcome = SubprocessOutcome()
        process.terminationHandler = { outcome.exited(status: $0.terminationStatus) }
        try await launch(process)
        let drains = [
            PipeDrain(output.fileHandleForReading) { outcome.read(output: $0) },
            PipeDrain(error.fileHandleForReading) { outcome.read(error: $0) },
        ]

        var timedOut = false
        if await !outcome.complete(within: .seconds(guardSeconds)) {
            let cancelled = Task.isCancelled
            // Foundation starts the program as the leader of its own process group.
            try await stop(processGroup: process.processIdentifier, of: executable, drains: drains, outcome: outcome)
            if cancelled { throw CancellationError() }
            timedOut = true
        }
        let collected = outcome.collected
        return Result(
            status: collected.status ?? -1,
            standardOutput: String(decoding: collected.output ?? Data(), as: UTF8.self),
            standardError: String(decoding: collected.error ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }

    /// Starts `process` from a thread that blocks no signals.
    ///
    /// A child starts with the signal mask of the thread that spawned it, and the threads of
    /// Swift's pool (libdispatch workers) block nearly all signals: started from one, a program
    /// would ignore `SIGTERM` and `SIGINT` and never shut down gracefully.
    private static func launch(_ process: Process) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    try process.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    /// Ends the program and everything it started, then stops reading pipes that stay open.
    ///
    /// The whole group is signalled because a script's children would otherwise live on and keep
    /// the pipes open. When cancelled, each wait returns at once, so this goes straight to `SIGKILL`.
    private static func stop(
        processGroup: Int32, of executable: URL, drains: [PipeDrain], outcome: SubprocessOutcome
    ) async throws {
        kill(-processGroup, SIGTERM)
        if await outcome.complete(within: stopGrace) { return }
        kill(-processGroup, SIGKILL)
        if await outcome.complete(within: stopGrace) { return }
        // Exited, but a process that left the group still holds a pipe: keep what was read.
        for drain in drains { drain.abandon() }
        if await outcome.complete(within: stopGrace) || Task.isCancelled { return }
        throw Unkillable(executable: executable.path, pid: processGroup)
    }
}
