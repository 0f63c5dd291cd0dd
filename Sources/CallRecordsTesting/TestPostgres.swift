import Foundation
import Synchronization

/// A real PostgreSQL server for tests, on loopback, with its own data directory: the one
/// `scripts/test` started (`URA_TEST_POSTGRES_URL`), or one started here on first use and
/// stopped (its directory deleted) when the test process exits.
///
/// Each test gets a fresh database of its own (``newDatabaseURL()``). PostgreSQL refuses to run
/// as root, and CI runs as root: there the server runs as the `postgres` user Debian's package
/// creates.
public enum TestPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Server: Sendable {
        var host = "127.0.0.1"
        var port: Int
        var user: String
    }

    private static let server = Mutex<Result<Server, Unavailable>?>(nil)

    /// `postgresql://…` of a new, empty database on the test server.
    public static func newDatabaseURL() throws -> String {
        let server = try running()
        let name = "ura_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql(server, "CREATE DATABASE \(name)")
        return "postgresql://\(server.user)@\(server.host):\(server.port)/\(name)?sslmode=disable"
    }

    private static func running() throws -> Server {
        let result = server.withLock { state in
            if let state { return state }
            let started = Result { () throws(Unavailable) -> Server in try start() }
            state = started
            return started
        }
        return try result.get()
    }

    private static func start() throws(Unavailable) -> Server {
        if let text = ProcessInfo.processInfo.environment["URA_TEST_POSTGRES_URL"], let url = URLComponents(string: text),
           let port = url.port, let user = url.user {
            return Server(host: url.host ?? "127.0.0.1", port: port, user: user)
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw Unavailable(description: "PostgreSQL is not installed (Debian package postgresql; scripts/setup installs it)")
        }
        let bin = "/usr/lib/postgresql/\(version)/bin"
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-pg-\(UUID().uuidString)").path
        let port = Int.random(in: 25_000...29_999)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let asRoot = getuid() == 0
            if asRoot { try run("/bin/chown", ["postgres:postgres", directory]) }
            func asServerUser(_ program: String, _ arguments: [String]) throws {
                if asRoot { try run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments) } else { try run(program, arguments) }
            }
            try asServerUser("\(bin)/initdb", ["-D", "\(directory)/data", "-U", "ura", "--auth=trust", "-E", "UTF8", "--no-sync"])
            // The postmaster itself, not pg_ctl: Foundation's Process learns that a child ended
            // from a socket the child inherits, and a server pg_ctl leaves behind keeps it open.
            let server = Process()
            server.executableURL = URL(fileURLWithPath: asRoot ? "/usr/bin/setpriv" : "\(bin)/postgres")
            server.arguments = (asRoot ? ["--reuid", "postgres", "--regid", "postgres", "--init-groups", "\(bin)/postgres"] : []) + [
                "-D", "\(directory)/data", "-p", "\(port)", "-k", directory, "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "max_connections=200",
            ]
            FileManager.default.createFile(atPath: "\(directory)/server.log", contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/server.log"))
            server.standardOutput = log
            server.standardError = log
            server.standardInput = FileHandle.nullDevice
            try server.run()
            StopAtExit.register(pid: server.processIdentifier, directory: directory)
            try waitUntilAccepting(port: port, serverLog: "\(directory)/server.log")
        } catch {
            throw Unavailable(description: "cannot start a PostgreSQL server for the tests: \(error)")
        }
        return Server(port: port, user: "ura")
    }

    private static func waitUntilAccepting(port: Int, serverLog: String) throws {
        for _ in 0..<150 {
            if (try? run("/usr/bin/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"])) != nil { return }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? ""
        throw CommandFailed(description: "the server did not accept connections within 15 s: \(log.suffix(1000))")
    }

    private static func psql(_ server: Server, _ sql: String) throws {
        try run("/usr/bin/psql", ["-h", server.host, "-p", "\(server.port)", "-U", server.user, "-d", "postgres", "-q", "-c", sql])
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        // A file, not a pipe: the server pg_ctl starts may keep a pipe open for its whole life.
        let log = FileManager.default.temporaryDirectory.appending(path: "ura-pg-command-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw CommandFailed(description: "cannot create \(log.path)")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = (try? Data(contentsOf: log)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "\(program) exited \(process.terminationStatus): \(String(decoding: text.suffix(1000), as: UTF8.self))")
        }
    }
}

/// Stops the server this process started, when it exits.
private enum StopAtExit {
    // An atexit handler is a C function: it reaches its arguments through globals. Written
    // once, under TestPostgres's lock, before the handler is registered; only read after.
    nonisolated(unsafe) static var pid: pid_t = 0
    nonisolated(unsafe) static var directory = ""

    static func register(pid: pid_t, directory: String) {
        Self.pid = pid
        Self.directory = directory
        atexit {
            // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster ends its backends and exits.
            kill(StopAtExit.pid, SIGQUIT)
            for _ in 0..<50 where kill(StopAtExit.pid, 0) == 0 { usleep(20_000) }
            try? FileManager.default.removeItem(atPath: StopAtExit.directory)
        }
    }
}
