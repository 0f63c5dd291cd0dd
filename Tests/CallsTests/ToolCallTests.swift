import Bots
import Foundation
import Logging
import LoopbackHTTPServer
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

    @Test func theCallerAsksForAnAppointmentAndTheClinicsAPIBooksIt() async throws {
        // The booking API is slow: the caller hears a filler while it works.
        let clinic = try LoopbackHTTPServer { _ in .json(201, #"{"confirmation":"A-17","internal_id":991}"#, delay: .milliseconds(1500)) }
        defer { clinic.shutdown() }
        let fake = try FakeOpenAI(transcripts: ["book me for monday at nine please"]) { body in
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
        let providers = try AIBotCallTests.providers(fake, tools: tools)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let request = try SynthesizedSpeech.samples("book me for monday at nine please")
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(request), .pause(.seconds(8)), .hangUp])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        let booking = try #require(clinic.requests.first)
        #expect(clinic.requests.count == 1)
        #expect(booking.method == "POST" && booking.path == "/appointments")
        #expect(try ToolValue.parse(booking.body) == .object(["day": .string("monday"), "time": .string("09:00")]))
        let spoken = fake.server.requests.filter { $0.path == "/v1/audio/speech" }.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(spoken.contains { $0.contains("One moment, please.") }, "the filler while the booking ran")
        #expect(spoken.contains { $0.contains("You are booked, confirmation A 17.") }, "the answer with the API's confirmation")
    }
}
