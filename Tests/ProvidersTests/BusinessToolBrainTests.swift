import Foundation
import HTTP
import LoopbackHTTPServer
import Synchronization
import Testing
import Tools
import Voice
@testable import Providers

/// The `llm` brain with the business's tools: it runs them, says a filler while a slow one runs,
/// lets the model chain them, and turns a failure into words.
@Suite(.timeLimit(.minutes(1))) struct BusinessToolBrainTests {
    let conversation = Conversation(language: "en-US", messages: [.init(role: .caller, text: "Book me with a cardiologist")])

    static func toolCall(_ name: String, _ arguments: String, id: String) -> String {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [arguments]), as: UTF8.self).dropFirst().dropLast()
        return #"data: {"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":\#(escaped)}}]},"finish_reason":null}]}"#
            + "\n\n" + #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"# + "\n\ndata: [DONE]\n\n"
    }

    static func catalog(_ clinic: LoopbackHTTPServer) throws -> ToolShelf {
        let yaml = """
            tools:
              - name: next_free_slot
                description: The next free appointment of a specialty.
                parameters: { type: object, properties: { specialty: { type: string, enum: [cardiology] } }, required: [specialty] }
                http: { method: GET, url: "\(clinic.baseURL.absoluteString)/slots?specialty={specialty}", timeout_ms: 3000, retries: 0 }
                result: [start]
              - name: book_appointment
                description: Book a slot.
                parameters: { type: object, properties: { start: { type: string } }, required: [start] }
                http: { method: POST, url: "\(clinic.baseURL.absoluteString)/appointments", body: { start: "{start}", source: ura }, retries: 0 }
                result: [confirmation]
            """
        return ToolShelf(try ToolCatalog.parse(yaml, file: "tools.yaml", environment: [:]))
    }

    func brain(_ model: FakeServer, _ tools: ToolShelf, http: HTTPClient, fillerDelay: Duration = .milliseconds(300)) -> OpenAIChatBrain {
        var runner = ToolRunner(http: http)
        runner.backoff = .milliseconds(10)
        return OpenAIChatBrain(
            endpoint: model.endpoint(), server: model.access, model: "m", businessTools: tools, runner: runner, fillerDelay: fillerDelay)
    }

    func outputs(_ brain: OpenAIChatBrain) async throws -> [BrainOutput] {
        var outputs: [BrainOutput] = []
        for try await output in brain.respond(to: .speech("Book me with a cardiologist"), in: conversation) { outputs.append(output) }
        return outputs
    }

    @Test func theModelFindsASlotBooksItAndSaysSoWithAFillerWhileTheSlowLookupRuns() async throws {
        let clinic = try await LoopbackHTTPServer { request in
            request.path == "/slots"
                ? .json(200, #"{"start":"2026-12-07T09:00","doctor":"Dr. Reis"}"#, delay: .milliseconds(900))
                : .json(201, #"{"confirmation":"A-17"}"#)
        }
        defer { clinic.shutdown() }
        let model = try await FakeServer([
            .sse(Self.toolCall("next_free_slot", #"{"specialty":"cardiology"}"#, id: "c1")),
            .sse(Self.toolCall("book_appointment", #"{"start":"2026-12-07T09:00"}"#, id: "c2")),
            .sse(ChatWireFixtures.text("You are booked for Monday at nine, confirmation A-17.")),
        ])
        defer { model.close() }
        let http = HTTPClient(name: "tools-brain-test")
        defer { http.shutdown() }
        let outputs = try await outputs(brain(model, try Self.catalog(clinic), http: http))
        #expect(outputs == [.text("One moment, please. "), .text("You are booked for Monday at nine, confirmation A-17.")])

        #expect(clinic.requests.map(\.path) == ["/slots", "/appointments"])
        #expect(try ToolValue.parse(clinic.requests[1].body) == .object(["start": .string("2026-12-07T09:00"), "source": .string("ura")]),
                "the booking carries the slot the lookup found")
        #expect(model.requests.count == 3)
        let last = try #require(JSONSerialization.jsonObject(with: model.requests[2].body) as? [String: Any])
        let messages = try #require(last["messages"] as? [[String: Any]])
        let results = messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["content"] as? String }
        #expect(results == [#"OK: {"start":"2026-12-07T09:00"}"#, #"OK: {"confirmation":"A-17"}"#])
        let tools = try #require(last["tools"] as? [[String: Any]])
        let names = tools.compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("book_appointment"))
    }

    @Test func aFastToolNeedsNoFiller() async throws {
        let clinic = try await LoopbackHTTPServer { _ in .json(200, #"{"start":"10:00"}"#) }
        defer { clinic.shutdown() }
        let model = try await FakeServer([
            .sse(Self.toolCall("next_free_slot", #"{"specialty":"cardiology"}"#, id: "c1")), .sse(ChatWireFixtures.text("Ten o'clock.")),
        ])
        defer { model.close() }
        let http = HTTPClient(name: "tools-brain-test")
        defer { http.shutdown() }
        #expect(try await outputs(brain(model, try Self.catalog(clinic), http: http, fillerDelay: .seconds(2))) == [.text("Ten o'clock.")])
    }

    @Test func aFailingToolIsApologisedFor() async throws {
        let clinic = try await LoopbackHTTPServer { _ in .json(500, "{}") }
        defer { clinic.shutdown() }
        let model = try await FakeServer([
            .sse(Self.toolCall("next_free_slot", #"{"specialty":"cardiology"}"#, id: "c1")),
            .sse(ChatWireFixtures.text("Sorry, the calendar is not answering right now.")),
        ])
        defer { model.close() }
        let http = HTTPClient(name: "tools-brain-test")
        defer { http.shutdown() }
        let outputs = try await outputs(brain(model, try Self.catalog(clinic), http: http, fillerDelay: .seconds(5)))
        #expect(outputs == [.text("Sorry, the calendar is not answering right now.")])
        let last = try #require(JSONSerialization.jsonObject(with: model.requests[1].body) as? [String: Any])
        let result = (last["messages"] as? [[String: Any]])?.last?["content"] as? String
        #expect(result?.hasPrefix("Error: the service answered HTTP 500") == true)
    }

    @Test func aModelThatKeepsCallingToolsIsMadeToAnswer() async throws {
        let clinic = try await LoopbackHTTPServer { _ in .json(200, #"{"start":"10:00"}"#) }
        defer { clinic.shutdown() }
        let loop = Self.toolCall("next_free_slot", #"{"specialty":"cardiology"}"#, id: "c1")
        let model = try await FakeServer([.sse(loop), .sse(loop), .sse(loop), .sse(ChatWireFixtures.text("Ten."))])
        defer { model.close() }
        let http = HTTPClient(name: "tools-brain-test")
        defer { http.shutdown() }
        _ = try await outputs(brain(model, try Self.catalog(clinic), http: http, fillerDelay: .seconds(5)))
        #expect(model.requests.count == OpenAIChatBrain.maximumRounds)
        let last = try #require(JSONSerialization.jsonObject(with: model.requests.last!.body) as? [String: Any])
        #expect(last["tool_choice"] as? String == "none")
    }
}
