import ClinicMCP
import Foundation
import HTTP
import Logging
import MCP
import Testing
import Tools
@testable import MCPTools

/// ura's MCP client against the SDK's own server side (the clinic), over stdio and streamable HTTP.
@Suite(.timeLimit(.minutes(2))) struct MCPToolsTests {
    static func stdioSettings(
        environment: [String: String] = [:], timeout: Duration = .seconds(5), tag: String = UUID().uuidString, allowed: Set<String>? = nil
    ) throws -> MCPServerSettings {
        MCPServerSettings(
            name: "clinic", transport: .command(executable: try ClinicServerBinary.path, arguments: ["--tag", tag], environment: environment),
            timeout: timeout, allowedTools: allowed)
    }

    /// Runs the connection while `body` runs; `body` gets the shelf once the tools are listed.
    static func connected<T: Sendable>(
        _ settings: MCPServerSettings, http: HTTPClient, _ body: @Sendable (ToolShelf, MCPServerConnection) async throws -> T
    ) async throws -> T {
        let shelf = ToolShelf(ToolCatalog(mcpServers: [settings]))
        let connection = MCPServerConnection(settings: settings, shelf: shelf, http: http, logger: Logger(label: "test.mcp"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await connection.run()
                return nil
            }
            defer { group.cancelAll() }
            try #require(await waitUntil { shelf.catalog.tool(named: "book_appointment") != nil }, "the clinic's tools are listed")
            return try await body(shelf, connection)
        }
    }

    static func waitUntil(timeout: Duration = .seconds(10), _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func aStdioServersToolsAreListedAndRunWithTheirArgumentsChecked() async throws {
        let bookings = FileManager.default.temporaryDirectory.appending(path: "bookings-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: bookings) }
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await Self.connected(try Self.stdioSettings(environment: ["CLINIC_BOOKINGS_FILE": bookings]), http: http) { shelf, _ in
            let names = Set(shelf.catalog.tools.map(\.name))
            #expect(names == ["next_free_slot", "book_appointment", "cancel_calendar", "open_cancellations"], "reschedule's oneOf cannot be checked: not offered")
            let runner = ToolRunner(http: http)
            let book = try #require(shelf.catalog.tool(named: "book_appointment"))
            #expect(await runner.run(book, arguments: #"{"day":"monday","time":"09:00"}"#) == .succeeded(#"{"confirmation":"M-42","day":"monday"}"#))
            // Hostile arguments never reach the server.
            guard case .refused = await runner.run(book, arguments: #"{"day":"sunday","time":"09:00"}"#) else {
                Issue.record("a day outside the enum was sent")
                return
            }
            guard case .refused = await runner.run(book, arguments: #"{"day":"monday","time":"09:00","room":"x"}"#) else {
                Issue.record("an undeclared argument was sent")
                return
            }
            let slot = try #require(shelf.catalog.tool(named: "next_free_slot"))
            #expect(await runner.run(slot, arguments: #"{"specialty":"cardiology"}"#) == .succeeded(#"{"slot":{"doctor":"Dr. Lima","start":"2026-12-07T09:00"}}"#))
            guard case .failed(let reason) = await runner.run(try #require(shelf.catalog.tool(named: "cancel_calendar")), arguments: "{}") else {
                Issue.record("a tool error reads as success")
                return
            }
            #expect(reason.contains("locked for maintenance"))
        }
        let lines = try String(contentsOfFile: bookings, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(try ToolValue.parse(Data(lines[0].utf8)) == .object(["day": .string("monday"), "time": .string("09:00")]))
    }

    @Test func aChangedToolListIsListedAgain() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await Self.connected(try Self.stdioSettings(), http: http) { shelf, _ in
            #expect(shelf.catalog.tool(named: "cancel_appointment") == nil)
            let open = try #require(shelf.catalog.tool(named: "open_cancellations"))
            #expect(await ToolRunner(http: http).run(open, arguments: "{}") == .succeeded("cancellations are open"))
            #expect(await Self.waitUntil { shelf.catalog.tool(named: "cancel_appointment") != nil }, "listed again after tools/list_changed")
        }
    }

    @Test func onlyTheToolsTheFileNamesAreOffered() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await Self.connected(try Self.stdioSettings(allowed: ["book_appointment", "no_such_tool"]), http: http) { shelf, _ in
            #expect(shelf.catalog.tools.map(\.name) == ["book_appointment"])
        }
    }

    @Test func aSlowToolTimesOutAndTheServerStaysUsable() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await Self.connected(try Self.stdioSettings(environment: ["CLINIC_BOOKING_DELAY_MS": "3000"], timeout: .milliseconds(400)), http: http) { shelf, _ in
            let runner = ToolRunner(http: http)
            let started = ContinuousClock.now
            let outcome = await runner.run(try #require(shelf.catalog.tool(named: "book_appointment")), arguments: #"{"day":"monday","time":"09:00"}"#)
            #expect(outcome == .failed("the tool did not answer (timed out)"))
            #expect(ContinuousClock.now - started < .seconds(2))
            let slot = try #require(shelf.catalog.tool(named: "next_free_slot"))
            guard case .succeeded = await runner.run(slot, arguments: #"{"specialty":"dermatology"}"#) else {
                Issue.record("the connection broke after a timeout")
                return
            }
        }
    }

    /// Processes whose command line holds `argument` (read from /proc: no procps needed).
    static func processes(withArgument argument: String) throws -> [pid_t] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { entry in
            guard let pid = pid_t(entry), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return line.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == argument } ? pid : nil
        }
    }

    @Test func aServerThatDiesLosesItsToolsUntilItIsBack() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        let tag = "clinic-\(UUID().uuidString)"
        try await Self.connected(try Self.stdioSettings(tag: tag), http: http) { shelf, _ in
            let book = try #require(shelf.catalog.tool(named: "book_appointment"))
            let pids = try Self.processes(withArgument: tag)
            #expect(pids.count == 1)
            for pid in pids { kill(pid, SIGKILL) }
            // A call in the moment after the death fails cleanly, well before the tool's 5 s timeout.
            let called = ContinuousClock.now
            guard case .failed = await ToolRunner(http: http).run(book, arguments: #"{"day":"monday","time":"09:00"}"#) else {
                Issue.record("a call to a dead server succeeded")
                return
            }
            #expect(ContinuousClock.now - called < .seconds(2), "the call waited out its timeout instead of failing at once")
            #expect(await Self.waitUntil { shelf.catalog.tool(named: "book_appointment") == nil }, "a dead server's tools are withdrawn")
            #expect(await Self.waitUntil { shelf.catalog.tool(named: "book_appointment") != nil }, "and return when it is started again")
            let again = try #require(shelf.catalog.tool(named: "book_appointment"))
            guard case .succeeded = await ToolRunner(http: http).run(again, arguments: #"{"day":"tuesday","time":"10:00"}"#) else {
                Issue.record("the restarted server does not answer")
                return
            }
        }
    }

    /// Whether a process is gone (or dead, waiting to be reaped by whoever inherited it).
    static func isGone(_ pid: pid_t) -> Bool {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return true }
        return text[text.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    @Test func aLaunchersChildrenEndWithTheConnection() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        let pidFile = FileManager.default.temporaryDirectory.appending(path: "launcher-child-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        // A launcher (as npx or uvx would) that leaves a child of its own behind, then becomes the server.
        let script = "sleep 300 & echo $! > '\(pidFile)'; exec '\(try ClinicServerBinary.path)' --tag launcher"
        let settings = MCPServerSettings(name: "clinic", transport: .command(executable: "/bin/sh", arguments: ["-c", script], environment: [:]))
        let child = try await Self.connected(settings, http: http) { _, _ in
            let written = try #require(FileManager.default.contents(atPath: pidFile), "the launcher wrote its child's pid")
            return try #require(pid_t(String(decoding: written, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        #expect(await Self.waitUntil(timeout: .seconds(5)) { Self.isGone(child) }, "the launcher's child outlived the connection")
        if !Self.isGone(child) { kill(child, SIGKILL) }
    }

    @Test func aStreamableHTTPServersToolsWorkAndItsChangesArrive() async throws {
        let clinic = Clinic()
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await ClinicHTTPServer.withServer(clinic) { server in
            let settings = MCPServerSettings(name: "clinic", transport: .http(url: server.url, headers: [.init(name: "X-Test", value: "1")]))
            try await Self.connected(settings, http: http) { shelf, _ in
                let runner = ToolRunner(http: http)
                let book = try #require(shelf.catalog.tool(named: "book_appointment"))
                #expect(await runner.run(book, arguments: #"{"day":"tuesday","time":"14:30"}"#) == .succeeded(#"{"confirmation":"M-42","day":"tuesday"}"#))
                #expect(clinic.bookings == [["day": "tuesday", "time": "14:30"]])
                let open = try #require(shelf.catalog.tool(named: "open_cancellations"))
                #expect(await runner.run(open, arguments: "{}") == .succeeded("cancellations are open"))
                #expect(await Self.waitUntil { shelf.catalog.tool(named: "cancel_appointment") != nil }, "the change notice arrived")
            }
        }
    }

    @Test func aSessionTheServerForgotIsStartedAgain() async throws {
        let clinic = Clinic()
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await ClinicHTTPServer.withServer(clinic) { server in
            try await Self.connected(MCPServerSettings(name: "clinic", transport: .http(url: server.url, headers: [])), http: http) { shelf, _ in
                #expect(await server.sessionsStarted == 1)
                await server.forgetSessions()
                let book = try #require(shelf.catalog.tool(named: "book_appointment"))
                // The call that meets the 404 fails; the connection starts a new session.
                _ = await ToolRunner(http: http).run(book, arguments: #"{"day":"monday","time":"09:00"}"#)
                #expect(await Self.waitUntil { await server.sessionsStarted == 2 }, "a new session was started")
                #expect(await Self.waitUntil { shelf.catalog.tool(named: "book_appointment") != nil })
                let again = try #require(shelf.catalog.tool(named: "book_appointment"))
                #expect(await ToolRunner(http: http).run(again, arguments: #"{"day":"tuesday","time":"10:00"}"#) == .succeeded(#"{"confirmation":"M-42","day":"tuesday"}"#))
            }
        }
    }

    /// Over HTTP a slow tool times out at its own timeout (not the HTTP request's), and the
    /// session stays for the server's other tools.
    @Test func aSlowHTTPToolTimesOutWithoutEndingTheSession() async throws {
        // Slower than the HTTP request's own deadline (the tool's timeout + 5 s) as well.
        let clinic = Clinic(bookingDelay: .seconds(7))
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        try await ClinicHTTPServer.withServer(clinic) { server in
            let settings = MCPServerSettings(name: "clinic", transport: .http(url: server.url, headers: []), timeout: .milliseconds(400))
            try await Self.connected(settings, http: http) { shelf, _ in
                let runner = ToolRunner(http: http)
                let started = ContinuousClock.now
                let outcome = await runner.run(try #require(shelf.catalog.tool(named: "book_appointment")), arguments: #"{"day":"monday","time":"09:00"}"#)
                #expect(outcome == .failed("the tool did not answer (timed out)"))
                #expect(ContinuousClock.now - started < .seconds(2))
                // Past the abandoned request's HTTP deadline: its timing out ends nothing.
                try await Task.sleep(for: .seconds(6))
                let slot = try #require(shelf.catalog.tool(named: "next_free_slot"))
                guard case .succeeded = await runner.run(slot, arguments: #"{"specialty":"dermatology"}"#) else {
                    Issue.record("the session ended with the slow call")
                    return
                }
                #expect(await server.sessionsStarted == 1)
            }
        }
    }

    @Test func anUnreachableServerLeavesNoToolsAndCallsFailCleanly() async throws {
        let http = HTTPClient(name: "mcp-test")
        defer { http.shutdown() }
        let settings = MCPServerSettings(name: "gone", transport: .http(url: URL(string: "http://127.0.0.1:9/mcp")!, headers: []))
        let shelf = ToolShelf(ToolCatalog(mcpServers: [settings]))
        let connection = MCPServerConnection(settings: settings, shelf: shelf, http: http, logger: Logger(label: "test.mcp"))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await connection.run() }
            try? await Task.sleep(for: .milliseconds(300))
            #expect(shelf.catalog.tools.isEmpty)
            await #expect(throws: MCPToolsError.self) { try await connection.call(tool: "x", arguments: [:], timeout: .seconds(1)) }
            group.cancelAll()
        }
    }
}
