import AsteriskSimulator
import ClinicMCP
import Foundation
import ProcessTesting
import Testing

/// `ura check` connects to TOOLS_FILE's MCP servers and says what each offers, or why it cannot.
@Suite struct MCPCheckTests {
    @Test func checkListsEachMCPServersToolsAndNamesOneThatCannotStart() async throws {
        let asterisk = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { asterisk.stop() }
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-mcp-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tools = directory.appending(path: "tools.yaml")
        try """
            mcp_servers:
              - name: clinic
                command: [\(try ClinicServerBinary.path)]
              - name: broken
                command: [/nonexistent/mcp-server]
            """.write(to: tools, atomically: true, encoding: .utf8)
        let result = try await CLITests.ura(["check"], environment: [
            "ARI_URL": "http://127.0.0.1:\(asterisk.port)", "ARI_USERNAME": asterisk.username, "ARI_PASSWORD": asterisk.password,
            "TOOLS_FILE": tools.path,
        ], in: directory)
        #expect(result.status == 0, "an MCP server that is down does not stop ura: \(result.standardOutput) \(result.standardError)")
        #expect(result.standardOutput.contains("mcp server clinic: next_free_slot, book_appointment, cancel_calendar, open_cancellations"),
                "\(result.standardOutput)")
        #expect(result.standardOutput.contains("warning: mcp server broken: unavailable"), "\(result.standardOutput)")
    }
}
