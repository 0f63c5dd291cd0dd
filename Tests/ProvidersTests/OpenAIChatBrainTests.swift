import Foundation
import LoopbackHTTPServer
import Settings
import Testing
import Voice
@testable import Providers

@Suite("OpenAI chat brain")
struct OpenAIChatBrainTests {
    let conversation = Conversation(language: "en-US", messages: [.init(role: .caller, text: "When are you open?")])

    func brain(_ server: FakeServer, retry: RetryPolicy = .never, firstByte: Duration = .seconds(5), meter: CostMeter? = nil, maxBytes: Int = 1 << 20) -> OpenAIChatBrain {
        OpenAIChatBrain(endpoint: server.endpoint(retry: retry, firstByte: firstByte, maxBytes: maxBytes), server: server.access, model: "test-model", meter: meter)
    }

    func text(_ outputs: [BrainOutput]) -> String {
        outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
    }

    @Test(arguments: [
        ("openai", Response.sse(ChatWireFixtures.openAI), "Our hours are nine to five."),
        ("llama.cpp", Response.sse(ChatWireFixtures.llamaCpp), "Nosso horário é das nove às cinco."),
        ("ollama", Response.sseChunks(ChatWireFixtures.ollama), "Hello there!"),
    ])
    func streamsTextFromEachServerStyle(style: String, response: Response, expected: String) async throws {
        let server = try await FakeServer([response])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .speech("When are you open?"), in: conversation))
        #expect(error == nil, "\(style): \(String(describing: error))")
        #expect(text(outputs) == expected, "\(style)")
        #expect(outputs.allSatisfy { if case .text(let piece) = $0 { !piece.isEmpty } else { false } })
    }

    @Test func sendsAStreamingRequestWithPromptHistoryAndTools() async throws {
        let server = try await FakeServer([.sse(ChatWireFixtures.openAI)])
        defer { server.close() }
        let conversation = Conversation(language: "pt-BR", messages: [
            .init(role: .caller, text: "Oi"),
            .init(role: .bot, text: "Olá, em que posso", interrupted: true),
            .init(role: .caller, text: "Qual o horário?"),
        ])
        _ = await collect(brain(server).respond(to: .speech("Qual o horário?"), in: conversation))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/v1/chat/completions")
        let body = try #require(JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["model"] as? String == "test-model")
        #expect(body["stream"] as? Bool == true)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
        #expect((messages[0]["content"] as? String)?.contains("ligação telefônica") == true)
        #expect(messages[2]["content"] as? String == "Olá, em que posso…")
        #expect(messages[3]["content"] as? String == "Qual o horário?")
        let tools = try #require(body["tools"] as? [[String: Any]])
        let names = tools.compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(Set(names) == ["transfer_call", "end_call", "send_dtmf"])
    }

    @Test func toolCallSplitAcrossChunksBecomesAnActionAfterTheFollowUpText() async throws {
        let server = try await FakeServer([.sse(ChatWireFixtures.transferToolCall), .sse(ChatWireFixtures.text("Transferring you now."))])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .speech("Talk to a human"), in: conversation))
        #expect(error == nil)
        #expect(outputs == [.text("Transferring you now."), .action(.transfer(destination: "1002"))])
        #expect(server.requests.count == 2)
        let followUp = try #require(JSONSerialization.jsonObject(with: server.requests[1].body) as? [String: Any])
        let messages = try #require(followUp["messages"] as? [[String: Any]])
        let call = try #require((messages[messages.count - 2]["tool_calls"] as? [[String: Any]])?.first)
        #expect(call["id"] as? String == "call_Qx1")
        #expect((call["function"] as? [String: Any])?["arguments"] as? String == "{\"destination\": \"1002\"}")
        #expect(messages.last?["role"] as? String == "tool" && messages.last?["tool_call_id"] as? String == "call_Qx1")
        #expect(followUp["tool_choice"] as? String == "none")
    }

    @Test func parallelToolCallsKeepTheirOrder() async throws {
        let server = try await FakeServer([.sse(ChatWireFixtures.twoToolCalls), .sse(ChatWireFixtures.text("Bye."))])
        defer { server.close() }
        let (outputs, _) = await collect(brain(server).respond(to: .speech("press 1 2 hash and hang up"), in: conversation))
        #expect(outputs == [.text("Bye."), .action(.sendDTMF(digits: "12#")), .action(.hangUp(reason: "done"))])
    }

    @Test func streamEndingWithoutFinishReasonIsAborted() async throws {
        let cut = """
            data: {"choices":[{"index":0,"delta":{"content":"Our hours"},"finish_reason":null}]}


            """
        let server = try await FakeServer([.sse(cut)])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .greeting, in: conversation))
        #expect(text(outputs) == "Our hours")
        #expect(error as? ProviderError == .streamAborted(provider: "openai"))
        #expect(server.stats.value("openai", "aborted") == 1)
    }

    @Test func connectionCutMidStreamFails() async throws {
        let body = Data(ChatWireFixtures.openAI.utf8)
        let server = try await FakeServer([Response(status: 200, headers: [("Content-Type", "text/event-stream")], body: body, fault: .closeMidResponse)])
        defer { server.close() }
        let (_, error) = await collect(brain(server).respond(to: .greeting, in: conversation))
        #expect((error as? ProviderError)?.kind == "connection")
        #expect(server.stats.value("openai", "connection") == 1)
    }

    @Test func malformedChunkIsATypedError() async throws {
        let server = try await FakeServer([.sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {not json\n\n")])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .greeting, in: conversation))
        #expect(text(outputs) == "Hi")
        #expect((error as? ProviderError)?.kind == "malformed")
        #expect(server.stats.value("openai", "malformed") == 1)
    }

    @Test func errorEventInTheStreamIsATypedError() async throws {
        let server = try await FakeServer([.sse("data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n")])
        defer { server.close() }
        let (_, error) = await collect(brain(server).respond(to: .greeting, in: conversation))
        #expect((error as? ProviderError)?.description.contains("model overloaded") == true)
    }

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        let limited = Response(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", "0.05")],
                               body: Data(#"{"error":{"message":"Rate limit reached","type":"requests"}}"#.utf8))
        let server = try await FakeServer([limited, .sse(ChatWireFixtures.openAI)])
        defer { server.close() }
        let retry = patientRetry(2)
        let (outputs, error) = await collect(brain(server, retry: retry).respond(to: .greeting, in: conversation))
        #expect(error == nil)
        #expect(text(outputs) == "Our hours are nine to five.")
        #expect(server.requests.count == 2)
        #expect(server.stats.value("openai", "http_429") == 1 && server.stats.value("openai", "retry") == 1)
    }

    @Test func retryAfterBeyondTheBudgetGivesUpAtOnce() async throws {
        let limited = Response(status: 429, headers: [("Retry-After", "600")], body: Data(#"{"error":{"message":"slow down"}}"#.utf8))
        let server = try await FakeServer([limited, .sse(ChatWireFixtures.openAI)])
        defer { server.close() }
        let retry = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(5), budget: .seconds(60))
        let (_, error) = await collect(brain(server, retry: retry).respond(to: .greeting, in: conversation))
        #expect(error as? ProviderError == .http(provider: "openai", status: 429, message: "slow down"))
        #expect(server.requests.count == 1)
    }

    @Test func serverErrorsAreRetriedUntilTheRetriesRunOut() async throws {
        let failing = Response.json(500, #"{"error":{"message":"internal"}}"#)
        let server = try await FakeServer([failing])
        defer { server.close() }
        let retry = patientRetry(2)
        let (_, error) = await collect(brain(server, retry: retry).respond(to: .greeting, in: conversation))
        #expect(error as? ProviderError == .http(provider: "openai", status: 500, message: "internal"))
        #expect(server.requests.count == 3)
        #expect(server.stats.value("openai", "http_5xx") == 3)
    }

    @Test func unauthorisedIsNotRetried() async throws {
        let server = try await FakeServer([.json(401, #"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#)])
        defer { server.close() }
        let (_, error) = await collect(brain(server, retry: patientRetry(3)).respond(to: .greeting, in: conversation))
        #expect(error as? ProviderError == .http(provider: "openai", status: 401, message: "Incorrect API key provided"))
        #expect(server.requests.count == 1)
    }

    @Test func wrongContentTypeIsRefused() async throws {
        let server = try await FakeServer([.json(200, #"{"choices":[{"message":{"content":"not streamed"}}]}"#)])
        defer { server.close() }
        let (_, error) = await collect(brain(server).respond(to: .greeting, in: conversation))
        #expect(error as? ProviderError == .unexpectedContentType(provider: "openai", contentType: "application/json"))
    }

    @Test func slowFirstByteTimesOutAndIsRetried() async throws {
        // The first answer never comes, so the first attempt surely times out; the timeout is
        // long enough for the second, immediate answer even on a loaded machine.
        let server = try await FakeServer([Response(status: 200, fault: .neverAnswer), .sse(ChatWireFixtures.openAI)])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server, retry: patientRetry(1), firstByte: .seconds(2)).respond(to: .greeting, in: conversation))
        #expect(error == nil)
        #expect(text(outputs) == "Our hours are nine to five.")
        #expect(server.stats.value("openai", "first_byte_timeout") == 1)
    }

    @Test func headersWithoutABodyByteCountAsASlowFirstByte() async throws {
        let gate = LoopbackHTTPServer.Response.Gate()
        let stalled = Response(status: 200, headers: [("Content-Type", "text/event-stream")], fault: .gated(before: [], gate: gate, after: [Data(ChatWireFixtures.openAI.utf8)]))
        let server = try await FakeServer([stalled])
        defer {
            gate.open()
            server.close()
        }
        let (outputs, error) = await collect(brain(server, firstByte: .milliseconds(300)).respond(to: .greeting, in: conversation))
        #expect(outputs.isEmpty)
        #expect(error as? ProviderError == .firstByteTimeout(provider: "openai"))
    }

    @Test func hugeResponseIsRefused() async throws {
        let huge = String(repeating: ": padding padding padding padding\n", count: 4000) + ChatWireFixtures.openAI
        let server = try await FakeServer([.sse(huge)])
        defer { server.close() }
        let (_, error) = await collect(brain(server, maxBytes: 64 * 1024).respond(to: .greeting, in: conversation))
        #expect(error as? ProviderError == .responseTooLarge(provider: "openai", limit: 64 * 1024))
        #expect(server.stats.value("openai", "too_large") == 1)
    }

    @Test func usageGoesToTheMeterAndIsEstimatedWhenAbsent() async throws {
        let server = try await FakeServer([.sse(ChatWireFixtures.openAI), .sseChunks(ChatWireFixtures.ollama)])
        defer { server.close() }
        let prices = PriceTable(rates: ["openai": .init(promptPerMillionTokens: 0.15, completionPerMillionTokens: 0.6)])
        let meter = CostMeter(prices: prices)
        _ = await collect(brain(server, meter: meter).respond(to: .greeting, in: conversation))
        let reported = try #require(meter.report().usage["openai"])
        #expect(reported.promptTokens == 412 && reported.completionTokens == 9 && !reported.estimated)
        #expect(abs(meter.report().total - (412 * 0.15 + 9 * 0.6) / 1_000_000) < 1e-12)
        _ = await collect(brain(server, meter: meter).respond(to: .greeting, in: conversation))
        let after = try #require(meter.report().usage["openai"])
        #expect(after.estimated && after.promptTokens > 412 && after.completionTokens > 9)
    }

    @Test func textAndToolCallInOneReplyNeedNoFollowUp() async throws {
        let reply = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Goodbye!"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"end_call","arguments":"{\\"reason\\":\\"caller said bye\\"}"}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}


            """
        let server = try await FakeServer([.sse(reply)])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .speech("bye"), in: conversation))
        #expect(error == nil)
        #expect(outputs == [.text("Goodbye!"), .action(.hangUp(reason: "caller said bye"))])
        #expect(server.requests.count == 1)
    }

    @Test(arguments: [
        #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"launch_rocket","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#,
        #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"send_dtmf","arguments":"{\"digits\":\"9; rm\"}"}}]},"finish_reason":"tool_calls"}]}"#,
        #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"transfer_call","arguments":"{\"destin"}}]},"finish_reason":"tool_calls"}]}"#,
    ])
    func badToolCallsAreRefusedToTheModel(event: String) async throws {
        let server = try await FakeServer([.sse("data: \(event)\n\n"), .sse(ChatWireFixtures.text("Sorry, I cannot do that."))])
        defer { server.close() }
        let (outputs, error) = await collect(brain(server).respond(to: .speech("do it"), in: conversation))
        #expect(error == nil)
        #expect(outputs == [.text("Sorry, I cannot do that.")])
        let followUp = try #require(JSONSerialization.jsonObject(with: server.requests[1].body) as? [String: Any])
        let last = try #require((followUp["messages"] as? [[String: Any]])?.last)
        #expect(last["role"] as? String == "tool" && (last["content"] as? String)?.hasPrefix("Error:") == true)
        #expect(server.stats.value("openai", "bad_tool_call") == 1)
    }

    @Test func unreachableServerIsAConnectionError() async throws {
        let server = try await FakeServer([.sse(ChatWireFixtures.openAI)])
        defer { server.close() }
        let endpoint = server.endpoint(retry: patientRetry(1))
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        let nowhere = OpenAIServerAccess(baseURL: URL(string: "http://127.0.0.1:1/v1")!)
        let (_, error) = await collect(OpenAIChatBrain(endpoint: endpoint, server: nowhere, model: "m").respond(to: .greeting, in: conversation))
        #expect((error as? ProviderError)?.kind == "connection")
        #expect(server.stats.value("openai", "connection") == 2)
    }
}
