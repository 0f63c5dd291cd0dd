import Foundation

/// Runs a program and collects what it printed, for tests that run `ura` or a script.
///
/// Both pipes are read on threads of their own (`PipeDrain`) and the wait for the end is a
/// suspension, so a running program holds no thread of the cooperative pool: the tests' other
/// tasks (a server the program talks to, say) keep running, and a program that fills one pipe
/// while we read the other cannot stall.
public enum Subprocess {
    /// How a program ended and everything it printed.
    public struct Result: Sendable {
        /// The exit status, or the signal that ended the program.
        public let status: Int32
        /// All the program wrote to standard output, decoded as UTF-8.
        public let standardOutput: String
        /// All the program wrote to standard error, decoded as UTF-8.
        public let standardError: String
        /// Whether the program had to be killed because it outlived the guard time.
        ///
        /// `status` then says how: `SIGTERM`, or `SIGKILL` if it ignored that.
        public let timedOut: Bool
    }

    /// A program that survived `SIGKILL`, which only a hung kernel call explains.
    public struct Unkillable: Error, CustomStringConvertible {
        /// The path of the program.
        public let executable: String
        /// Its process ID, which is also its process group's.
        public let pid: Int32
        /// Names the program and its pid, for a test failure.
        public var description: String { "\(executable) (pid \(pid)) outlived its guard time and did not exit after SIGKILL" }
    }

    /// How long a program gets to end after each step of stopping it.
    static let stopGrace = Duration.seconds(2)

    /// Runs `executable` with exactly `environment` (nothing inherited) in `directory`, its
    /// standard input empty.
    ///
    /// A program still running (or whose pipes are still open) `guardSeconds` after it started is
    /// stopped with its whole process group, `SIGTERM` first and `SIGKILL` if that does not end it,
    /// and reported as timed out with what it printed until then; so a bug that makes `ura serve`
    /// start for real cannot hang the test run.
    ///
    /// Cancelling the calling task kills the program at once and throws `CancellationError`.
    ///
    /// - Parameter whileRunning: done once the program started, before waiting for its end: for
    ///   a test that has to act while the program runs (publish the events it waits for, say). If
    ///   it throws, the program is stopped as at the guard time and the error is rethrown.
    public static func run(
        _ executable: URL, arguments: [String], environment: [String: String],
        in directory: URL, guardSeconds: Double = 30, whileRunning: () async throws -> Void = {}
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
        let clock = ContinuousClock()
        try await launch(process)
        let deadline = clock.now + .seconds(guardSeconds)
        let drains = [
            PipeDrain(output.fileHandleForReading) { outcome.read(output: $0) },
            PipeDrain(error.fileHandleForReading) { outcome.read(error: $0) },
        ]
        // Foundation starts the program as the leader of its own process group.
        let processGroup = process.processIdentifier

        do {
            try await whileRunning()
        } catch {
            if !outcome.collected.isComplete {
                try await stop(processGroup: processGroup, of: executable, drains: drains, outcome: outcome)
            }
            throw error
        }
        var timedOut = false
        if await !outcome.complete(within: max(.zero, deadline - clock.now)) {
            let cancelled = Task.isCancelled
            try await stop(processGroup: processGroup, of: executable, drains: drains, outcome: outcome)
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
    /// A child starts with the signal mask of the thread that spawned it unless the spawner resets
    /// it, and the threads of Swift's pool (libdispatch workers) block nearly all signals: started
    /// from one, a program would ignore `SIGTERM` and `SIGINT` and never shut down gracefully.
    /// Foundation on Linux (Swift 6.3) does reset the mask; this keeps the runner independent of
    /// whether a Foundation does.
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
