import Foundation

/// Runs a program and collects what it printed, for the CLI and script tests.
struct Subprocess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
        /// Whether the program had to be killed because it outlived the guard time.
        let timedOut: Bool
    }

    /// Runs `executable` with exactly `environment` (nothing inherited) in `directory`.
    ///
    /// A program still running after `guardSeconds` is terminated and reported as timed out,
    /// so a bug that makes `ura serve` start for real cannot hang the test run.
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
        try process.run()

        // Read both pipes to the end concurrently with the wait, so a chatty program cannot
        // block on a full pipe.
        async let outputData = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let errorData = Task.detached { error.fileHandleForReading.readDataToEndOfFile() }.value
        var timedOut = false
        let deadline = Date().addingTimeInterval(guardSeconds)
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let (outputBytes, errorBytes) = await (outputData, errorData)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputBytes, as: UTF8.self),
            standardError: String(decoding: errorBytes, as: UTF8.self),
            timedOut: timedOut)
    }
}
