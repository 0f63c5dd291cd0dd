import Bots
import ClinicMCP
import Foundation
import HTTP
import Logging
import LoopbackHTTPServer
import MCPTools
import Providers
import Testing
import Tools
import VoiceTesting
@testable import Calls

/// An `llm` call through the simulator books an appointment with the clinic's own API.
@Suite("Business tools in a call", .timeLimit(.minutes(2)))
struct ToolCallTests {
    static func toolCall(_ name: String, _ arguments: String) -> [String] {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [arguments]), as: UTF8.self).dropFirst().dropLast()
        return [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_b","type":"function","function":{"name":"\#(name)","arguments":\#(escaped)}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ]
    }

    static func text(_ text: String) -> [String] {
        [#"{"choices":[{"index":0,"delta":{"role":"assistant","content":"\#(text)"}}]}"#, #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#]
    }

    /// An `llm` call through the simulator: the caller says `text` after 3 s, listens, hangs up.
    static func call(_ fake: FakeOpenAI, tools: ToolShelf, saying text: String, listening: Duration) async throws {
        let providers = try AIBotCallTests.providers(fake, tools: tools)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let request = try SynthesizedSpeech.samples(text)
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(request), .pause(listening), .hangUp])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    /// The texts the call asked the fake to speak.
    static func spoken(_ fake: FakeOpenAI) -> [String] {
        fake.server.requests.filter { $0.path == "/v1/audio/speech" }.map { String(decoding: $0.body, as: UTF8.self) }
    }

    @Test func theCallerAsksForAnAppointmentAndTheClinicsAPIBooksIt() async throws {
        // The booking API is slow: the caller hears a filler while it works.
        let clinic = try await LoopbackHTTPServer { _ in .json(201, #"{"confirmation":"A-17","internal_id":991}"#, delay: .milliseconds(1500)) }
        defer { clinic.shutdown() }
        let fake = try await FakeOpenAI(transcripts: ["book me for monday at nine please"]) { body in
            guard body.contains("monday at nine") else { return nil }
            return body.contains("\"role\":\"tool\"")
                ? Self.text(body.contains("A-17") ? "You are booked, confirmation A 17." : "Sorry, I could not book it.")
                : Self.toolCall("book_appointment", #"{"day":"monday","time":"09:00"}"#)
        }
        defer { fake.server.shutdown() }
        let tools = ToolShelf(try ToolCatalog.parse("""
            tools:
              - name: book_appointment
                description: Book an appointment.
                parameters:
                  type: object
                  properties: { day: { type: string, enum: [monday, tuesday] }, time: { type: string, pattern: "[0-9]{2}:[0-9]{2}" } }
                  required: [day, time]
                http: { method: POST, url: "\(clinic.baseURL.absoluteString)/appointments", body: { day: "{day}", time: "{time}" } }
                result: [confirmation]
            """, file: "tools.yaml", environment: [:]))
        try await Self.call(fake, tools: tools, saying: "book me for monday at nine please", listening: .seconds(8))
        let booking = try #require(clinic.requests.first)
        #expect(clinic.requests.count == 1)
        #expect(booking.method == "POST" && booking.path == "/appointments")
        #expect(try ToolValue.parse(booking.body) == .object(["day": .string("monday"), "time": .string("09:00")]))
        let spoken = Self.spoken(fake)
        #expect(spoken.contains { $0.contains("One moment, please.") }, "the filler while the booking ran")
        #expect(spoken.contains { $0.contains("You are booked, confirmation A 17.") }, "the answer with the API's confirmation")
    }

    /// The clinic's MCP server (the SDK's server side, over stdio) kept connected while `body` runs.
    static func withClinicMCP<T: Sendable>(
        environment: [String: String], _ body: @Sendable (ToolShelf) async throws -> T
    ) async throws -> T {
        let tools = ToolShelf(try ToolCatalog.parse("""
            mcp_servers:
              - name: clinic
                command: [\(try ClinicServerBinary.path)]
                env: { \(environment.map { "\($0.key): \"\($0.value)\"" }.joined(separator: ", ")) }
                tools: [book_appointment, cancel_calendar]
                filler: { en: "Let me open the calendar." }
            """, file: "tools.yaml", environment: [:]))
        let http = HTTPClient(name: "test-mcp")
        defer { http.shutdown() }
        let toolbox = MCPToolbox(servers: tools.catalog.mcpServers, shelf: tools, http: http)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await toolbox.run()
                return nil
            }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now + .seconds(10)
            while tools.catalog.tool(named: "book_appointment") == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try #require(tools.catalog.tool(named: "book_appointment") != nil, "the MCP server's tools were listed")
            return try await body(tools)
        }
    }

    @Test func theCallerBooksThroughTheClinicsMCPServerAndHearsAFillerWhileItWorks() async throws {
        let bookings = FileManager.default.temporaryDirectory.appending(path: "mcp-bookings-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: bookings) }
        let fake = try await FakeOpenAI(transcripts: ["book me for monday at nine please"]) { body in
            guard body.contains("monday at nine") else { return nil }
            return body.contains("\"role\":\"tool\"")
                ? Self.text(body.contains("M-42") ? "You are booked, confirmation M 42." : "Sorry, I could not book it.")
                : Self.toolCall("book_appointment", #"{"day":"monday","time":"09:00"}"#)
        }
        defer { fake.server.shutdown() }
        try await Self.withClinicMCP(environment: ["CLINIC_BOOKINGS_FILE": bookings, "CLINIC_BOOKING_DELAY_MS": "1500"]) { tools in
            try await Self.call(fake, tools: tools, saying: "book me for monday at nine please", listening: .seconds(8))
        }
        let lines = try String(contentsOfFile: bookings, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(try ToolValue.parse(Data(lines[0].utf8)) == .object(["day": .string("monday"), "time": .string("09:00")]))
        let offered = try #require(fake.server.requests.first { $0.path == "/v1/chat/completions" }.map { String(decoding: $0.body, as: UTF8.self) })
        #expect(offered.contains("book_appointment") && !offered.contains("open_cancellations"), "only the tools the file names are offered")
        let spoken = Self.spoken(fake)
        #expect(spoken.contains { $0.contains("Let me open the calendar.") }, "the server's filler while the booking ran")
        #expect(spoken.contains { $0.contains("You are booked, confirmation M 42.") }, "the answer with the MCP tool's confirmation")
    }

    @Test func aFailingMCPToolEndsInAnApologyNotSilence() async throws {
        let fake = try await FakeOpenAI(transcripts: ["please clear my calendar"]) { body in
            guard body.contains("clear my calendar") else { return nil }
            guard body.contains("\"role\":\"tool\"") else { return Self.toolCall("cancel_calendar", "{}") }
            // The model is told what went wrong and asked to apologise.
            return Self.text(body.contains("locked for maintenance") && body.contains("Apologise") ? "Sorry, the calendar is closed for maintenance." : "wrong tool message")
        }
        defer { fake.server.shutdown() }
        try await Self.withClinicMCP(environment: [:]) { tools in
            try await Self.call(fake, tools: tools, saying: "please clear my calendar", listening: .seconds(6))
        }
        let spoken = Self.spoken(fake)
        #expect(spoken.contains { $0.contains("Sorry, the calendar is closed for maintenance.") }, "\(spoken)")
    }

    @Test func aFlowsToolStepCallsAnMCPToolAndReadsItsFields() async throws {
        try await Self.withClinicMCP(environment: [:]) { tools in
            let http = HTTPClient(name: "test-flow-tools")
            defer { http.shutdown() }
            let flowTools = FlowTools(shelf: tools, runner: ToolRunner(http: http))
            #expect(await flowTools.run(tool: "book_appointment", arguments: ["day": "monday", "time": "09:00"])
                == .success(["confirmation": "M-42", "day": "monday"]))
            guard case .failure = await flowTools.run(tool: "cancel_calendar", arguments: [:]) else {
                Issue.record("a tool error did not take on_error")
                return
            }
            guard case .failure = await flowTools.run(tool: "book_appointment", arguments: ["day": "sunday", "time": "09:00"]) else {
                Issue.record("arguments outside the schema were sent")
                return
            }
        }
    }
}
