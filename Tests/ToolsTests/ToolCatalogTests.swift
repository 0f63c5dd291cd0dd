import Foundation
import Testing
@testable import Tools

/// TOOLS_FILE: loaded and checked as a whole, every problem with its line.
@Suite struct ToolCatalogTests {
    static let clinic = """
        tools:
          - name: next_free_slot
            description: The next free appointment of a specialty.
            parameters:
              type: object
              properties:
                specialty: { type: string, enum: [cardiology, dermatology] }
                after: { type: string, pattern: "[0-9]{4}-[0-9]{2}-[0-9]{2}" }
              required: [specialty]
            http:
              method: GET
              url: https://clinic.example.com/api/slots?specialty={specialty}&after={after}&key=${CLINIC_KEY}
              headers: { Authorization: "Bearer ${CLINIC_TOKEN}" }
              timeout_ms: 3000
              retries: 2
            result: [slot.start, slot.doctor]
            filler: { en: "Let me check the calendar.", pt: "Vou ver a agenda." }
          - name: book_appointment
            description: Book a slot for the caller.
            parameters:
              type: object
              properties:
                start: { type: string }
                name: { type: string, maxLength: 80 }
                adults: { type: integer, minimum: 1, maximum: 4 }
              required: [start, name]
            http:
              method: POST
              url: https://clinic.example.com/api/appointments
              body: { start: "{start}", patient: { name: "{name}", note: "booked by ura for {name}" }, adults: "{adults}", source: ura }
        """

    static let environment = ["CLINIC_KEY": "k&1", "CLINIC_TOKEN": "t0k3n"]

    @Test func theClinicsToolsLoad() throws {
        let catalog = try ToolCatalog.parse(Self.clinic, file: "tools.yaml", environment: Self.environment)
        #expect(catalog.tools.map(\.name) == ["next_free_slot", "book_appointment"])
        let slot = try #require(catalog.tool(named: "next_free_slot"))
        guard case .http(let request) = slot.action else {
            Issue.record("an http tool without its request")
            return
        }
        #expect(request.method == .get && slot.timeout == .milliseconds(3000) && request.retries == 2)
        #expect(request.headers == [.init(name: "Authorization", value: "Bearer t0k3n")], "secrets come from the environment")
        #expect(slot.resultFields == ["slot.start", "slot.doctor"])
        #expect(slot.fillerLine(language: "pt-BR") == "Vou ver a agenda.")
        let book = try #require(catalog.tool(named: "book_appointment"))
        #expect(book.fillerLine(language: "en-US") == "One moment, please.")
        guard case .http(let booking) = book.action else { return }
        let body = booking.body?.render(["start": .string("2026-12-07T09:00"), "name": .string("Ana"), "adults": .number(2)])
        #expect(body == .object([
            "start": .string("2026-12-07T09:00"), "adults": .number(2), "source": .string("ura"),
            "patient": .object(["name": .string("Ana"), "note": .string("booked by ura for Ana")]),
        ]), "a whole-string placeholder keeps the argument's type")
    }

    @Test(arguments: [
        ("name: transfer_call", "3:", "one of ura's own tools"),
        ("url: https://{host}/x", "", "must name its host itself"),
        ("url: https://api.example.com@evil.example/{specialty}", "", "must name its host itself"),
        ("url: ftp://x/y", "", "not an http"),
        ("url: https://clinic.example.com/{nope}", "", "{nope} is not one of its parameters"),
        ("method: FETCH", "", "FETCH is not GET"),
        ("timeout_ms: 5", "", "100 to 60000"),
        ("type: strin", "", "use object, array, string"),
        ("${MISSING_SECRET}", "", "${MISSING_SECRET}, which is not set"),
    ])
    func mistakesAreReportedWithTheirLine(change: String, position: String, expected: String) throws {
        var text = """
            tools:
              - description: Look up.
                name: lookup
                parameters:
                  type: object
                  properties:
                    specialty: { type: string }
                http:
                  method: GET
                  url: https://clinic.example.com/{specialty}
                  timeout_ms: 1000
                  headers: { X-Key: "abc" }
            """
        switch change {
        case let change where change.hasPrefix("name:"): text = text.replacingOccurrences(of: "name: lookup", with: change)
        case let change where change.hasPrefix("url:"): text = text.replacingOccurrences(of: "url: https://clinic.example.com/{specialty}", with: change)
        case let change where change.hasPrefix("method:"): text = text.replacingOccurrences(of: "method: GET", with: change)
        case let change where change.hasPrefix("timeout_ms:"): text = text.replacingOccurrences(of: "timeout_ms: 1000", with: change)
        case let change where change.hasPrefix("type:"): text = text.replacingOccurrences(of: "{ type: string }", with: "{ \(change) }")
        default: text = text.replacingOccurrences(of: "\"abc\"", with: "\"\(change)\"")
        }
        #expect(throws: ToolLoadError.self) { try ToolCatalog.parse(text, file: "tools.yaml", environment: [:]) }
        do {
            _ = try ToolCatalog.parse(text, file: "tools.yaml", environment: [:])
        } catch {
            #expect(error.description.hasPrefix("tools.yaml:"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
            if !position.isEmpty { #expect(error.description.hasPrefix("tools.yaml:\(position)"), "\(error)") }
        }
    }

    @Test func aToolDefinedTwiceAndAFileWithoutToolsAreRefused() {
        let twice = Self.clinic + "\n" + Self.clinic.split(separator: "\n").dropFirst().prefix(13).joined(separator: "\n")
        #expect(throws: ToolLoadError.self) { try ToolCatalog.parse(twice, file: "t.yaml", environment: Self.environment) }
        #expect(throws: ToolLoadError.self) { try ToolCatalog.parse("other: 1", file: "t.yaml", environment: [:]) }
        #expect(throws: ToolLoadError.self) { try ToolCatalog.parse("tools: [", file: "t.yaml", environment: [:]) }
    }

    @Test func mcpServersLoadWithTheirSecrets() throws {
        let text = """
            mcp_servers:
              - name: clinic
                command: [/usr/local/bin/clinic-mcp, --stdio]
                env: { CLINIC_API_KEY: "${CLINIC_KEY}" }
                tools: [next_free_slot, book_appointment]
                timeout_ms: 2500
                filler: { pt: "Vou ver a agenda." }
              - name: crm
                url: https://crm.example.com/mcp
                headers: { Authorization: "Bearer ${CLINIC_TOKEN}" }
            """
        let catalog = try ToolCatalog.parse(text, file: "tools.yaml", environment: Self.environment)
        #expect(catalog.tools.isEmpty)
        #expect(catalog.mcpServers == [
            MCPServerSettings(
                name: "clinic",
                transport: .command(executable: "/usr/local/bin/clinic-mcp", arguments: ["--stdio"], environment: ["CLINIC_API_KEY": "k&1"]),
                timeout: .milliseconds(2500), allowedTools: ["next_free_slot", "book_appointment"], filler: ["pt": "Vou ver a agenda."]),
            MCPServerSettings(
                name: "crm", transport: .http(url: URL(string: "https://crm.example.com/mcp")!, headers: [.init(name: "Authorization", value: "Bearer t0k3n")])),
        ])
    }

    @Test(arguments: [
        ("    command: [/bin/x]\n    url: https://x.example/mcp", "2:", "either command"),
        ("    url: ftp://x.example/mcp", "3:", "an http or https address"),
        ("    command: []", "3:", "the program and its arguments"),
        ("    url: https://x.example/mcp\n    env: { A: b }", "4:", "only for a command"),
        ("    command: [/bin/x]\n    timeout_ms: 0", "4:", "100 to 60000"),
        ("    command: [/bin/x]\n    args: [1]", "4:", "not an MCP server setting"),
        ("    command: [/bin/x]\n    env: { KEY: \"${NOT_SET}\" }", "4:", "${NOT_SET}, which is not set"),
    ])
    func mcpServerMistakesAreReportedWithTheirLine(settings: String, position: String, expected: String) {
        let text = "mcp_servers:\n  - name: clinic\n" + settings
        do {
            _ = try ToolCatalog.parse(text, file: "tools.yaml", environment: [:])
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix("tools.yaml:\(position)"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
