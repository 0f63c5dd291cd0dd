import Foundation
import Logging
import MCP
import Synchronization

/// MCP over the standard input and output of a program ura starts: one JSON-RPC message per
/// line each way (the MCP stdio transport), the program's standard error into ura's log.
///
/// The SDK's own stdio transport polls its descriptors every 10 ms and leaves the program to
/// its caller; this one owns the program (started on connect, stopped on disconnect) and
/// reads on threads of its own that sleep until the program writes, so a quiet server costs
/// nothing and a dead one ends the message stream at once, which is how its owner learns of it.
public actor CommandTransport: EndingTransport {
    public nonisolated let logger: Logger
    let executable: String
    let arguments: [String]
    let environment: [String: String]
    private var process: Process?
    private var input: FileHandle?
    private var readers: [LineReader] = []
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    public nonisolated let ended: AsyncStream<Void>
    private let endedContinuation: AsyncStream<Void>.Continuation

    /// Variables of ura's environment a program gets (it gets its `env:` too).
    static let inheritedVariables: Set<String> = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER", "SHELL"]

    /// The longest line accepted from the program: a bigger one is a broken server.
    static let maximumLineBytes = 4 * 1024 * 1024

    /// - Parameter environment: added to ura's own environment (the program's secrets).
    public init(executable: String, arguments: [String], environment: [String: String], logger: Logger) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logger = logger
        (messages, continuation) = AsyncThrowingStream.makeStream()
        (ended, endedContinuation) = AsyncStream.makeStream()
    }

    /// A server that dies between two messages must fail the next write, not kill ura with
    /// SIGPIPE: broken pipes are ignored process-wide (ura writes to no pipe that needs the signal).
    private static let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    public func connect() async throws {
        guard process == nil else { return }
        Self.brokenPipesIgnored
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Only what a program needs to run, plus its own `env:`: ura's secrets (ARI_PASSWORD,
        // provider keys, WEBHOOK_SECRET) are not every MCP server's business.
        let inherited = ProcessInfo.processInfo.environment.filter { Self.inheritedVariables.contains($0.key) }
        process.environment = inherited.merging(environment) { _, new in new }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            continuation.finish(throwing: MCPError.transportError(error))
            endedContinuation.finish()
            throw MCPError.internalError("cannot start \(executable): \(error.localizedDescription)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        let inputDescriptor = stdin.fileHandleForWriting.fileDescriptor
        _ = fcntl(inputDescriptor, F_SETFL, fcntl(inputDescriptor, F_GETFL) | O_NONBLOCK)
        // A launcher's child may keep stdout open after the program itself died: its exit ends
        // the connection too.
        let endedOnExit = endedContinuation
        process.terminationHandler = { _ in endedOnExit.finish() }
        let continuation = continuation, endedContinuation = endedContinuation
        let logger = logger
        readers = [
            LineReader(stdout.fileHandleForReading, maximumLineBytes: Self.maximumLineBytes) { event in
                switch event {
                case .line(let line): if !line.isEmpty { continuation.yield(line) }
                case .tooLong: logger.warning("the MCP server wrote a line longer than 4 MiB; dropped")
                case .end:
                    continuation.finish(throwing: MCPError.connectionClosed)
                    endedContinuation.finish()
                }
            },
            LineReader(stderr.fileHandleForReading, maximumLineBytes: 8 * 1024) { event in
                if case .line(let line) = event, !line.isEmpty {
                    logger.info("mcp server says", metadata: ["line": "\(String(decoding: line.prefix(1000), as: UTF8.self))"])
                }
            },
        ]
    }

    public func disconnect() async {
        guard let process else { return }
        self.process = nil
        try? input?.close()
        input = nil
        // Closing its input is how a stdio server is asked to stop; a stubborn one is killed. The
        // program may be a launcher (npx, uvx, a shell script) whose children are the real
        // server and outlive it: Foundation starts each program as the leader of a process group
        // of its own, so the whole group is told, then killed.
        let group = -process.processIdentifier
        for _ in 0..<20 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        kill(group, SIGTERM)
        for _ in 0..<20 where process.isRunning || kill(group, 0) == 0 { try? await Task.sleep(for: .milliseconds(50)) }
        kill(group, SIGKILL)
        for reader in readers { reader.stop() }
        readers = []
        continuation.finish(throwing: MCPError.connectionClosed)
        endedContinuation.finish()
    }

    /// Writes without ever blocking a pool thread: a program that stops reading its input gets
    /// two seconds to drain it, then the message fails (and ``disconnect()`` can still run,
    /// the actor being free while this waits).
    public func send(_ data: Data) async throws {
        guard let input else { throw MCPError.connectionClosed }
        let descriptor = input.fileDescriptor
        var remaining = [UInt8](data) + [UInt8(ascii: "\n")]
        let deadline = ContinuousClock.now + .seconds(2)
        while !remaining.isEmpty {
            guard self.input === input else { throw MCPError.connectionClosed }
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                remaining.removeFirst(written)
            } else if written < 0, errno == EAGAIN || errno == EINTR, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
            }
        }
    }

    public nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}

/// Reads lines from a pipe on a thread of its own (blocking reads stay off Swift's cooperative
/// pool), until its end or ``stop()``.
final class LineReader: Sendable {
    enum Event {
        case line(Data)
        case tooLong
        case end
    }

    private let stopped = Atomic<Bool>(false)

    init(_ handle: FileHandle, maximumLineBytes: Int, onEvent: @escaping @Sendable (Event) -> Void) {
        Thread { [self] in
            read(handle.fileDescriptor, maximumLineBytes: maximumLineBytes, onEvent: onEvent)
            onEvent(.end)
        }.start()
    }

    /// Ends the reading within a fifth of a second (a program's child may keep the pipe open).
    func stop() { stopped.store(true, ordering: .relaxed) }

    private func read(_ descriptor: Int32, maximumLineBytes: Int, onEvent: (Event) -> Void) {
        var pending = Data()
        var skipping = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .relaxed) {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 200)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            guard ready > 0 else { return }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                if !skipping { pending.append(contentsOf: buffer[start..<index]) }
                if !skipping { onEvent(.line(pending)) }
                pending.removeAll(keepingCapacity: true)
                skipping = false
                start = index + 1
            }
            if !skipping { pending.append(contentsOf: buffer[start..<count]) }
            if pending.count > maximumLineBytes {
                onEvent(.tooLong)
                pending.removeAll()
                skipping = true
            }
        }
    }
}
