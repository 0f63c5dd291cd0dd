import Foundation
import HTTP
import LoopbackHTTPServer
import Synchronization
import Testing
@testable import Tools

/// Running a tool against a real HTTP server on loopback.
@Suite(.timeLimit(.minutes(1))) struct ToolRunnerTests {
    static func tool(_ server: LoopbackHTTPServer, retries: Int = 1, result: [String] = ["slot.start"]) throws -> BusinessTool {
        let yaml = """
            tools:
              - name: slots
                description: Free slots.
                parameters: { type: object, properties: { day: { type: string, maxLength: 10 } }, required: [day] }
                http:
                  method: POST
                  url: \(server.baseURL.absoluteString)/slots/{day}
                  headers: { X-Api-Key: "${KEY}" }
                  body: { day: "{day}" }
                  timeout_ms: 500
                  retries: \(retries)
                result: [\(result.joined(separator: ", "))]
            """
        return try #require(try ToolCatalog.parse(yaml, file: "t.yaml", environment: ["KEY": "secret-key"]).tools.first)
    }

    static func runner(_ http: HTTPClient) -> ToolRunner {
        var runner = ToolRunner(http: http)
        runner.backoff = .milliseconds(10)
        return runner
    }

    @Test func theRequestCarriesTheArgumentsAndTheModelGetsTheChosenFields() async throws {
        let server = try await LoopbackHTTPServer { _ in .json(200, #"{"slot":{"start":"2026-12-07T09:00","room":"3B"},"internal":"x"}"#) }
        defer { server.shutdown() }
        let http = HTTPClient(name: "tools-test")
        defer { http.shutdown() }
        let outcome = await Self.runner(http).run(try Self.tool(server), arguments: #"{"day":"monday"}"#)
        #expect(outcome == .succeeded(#"{"slot.start":"2026-12-07T09:00"}"#))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/slots/monday")
        #expect(request.header("X-Api-Key") == "secret-key")
        #expect(try ToolValue.parse(request.body) == .object(["day": .string("monday")]))
    }

    @Test func badArgumentsSendNothing() async throws {
        let server = try await LoopbackHTTPServer { _ in .json(200, "{}") }
        defer { server.shutdown() }
        let http = HTTPClient(name: "tools-test")
        defer { http.shutdown() }
        let runner = Self.runner(http)
        let tool = try Self.tool(server)
        for arguments in [#"{"day":"a-day-far-too-long"}"#, #"{}"#, "not json", #"{"day":"x","host":"evil"}"#] {
            guard case .refused = await runner.run(tool, arguments: arguments) else {
                Issue.record("\(arguments) was not refused")
                continue
            }
        }
        #expect(server.requests.isEmpty)
    }

    @Test func aFailingServiceIsRetriedAndAClientErrorIsNot() async throws {
        let count = Mutex(0)
        let server = try await LoopbackHTTPServer { request in
            let n = count.withLock { n in
                n += 1
                return n
            }
            if request.path.hasSuffix("/missing") { return .json(404, "{}") }
            return n == 1 ? .json(503, "{}") : .json(200, #"{"slot":{"start":"10:00"}}"#)
        }
        defer { server.shutdown() }
        let http = HTTPClient(name: "tools-test")
        defer { http.shutdown() }
        let runner = Self.runner(http)
        #expect(await runner.run(try Self.tool(server), arguments: #"{"day":"tue"}"#) == .succeeded(#"{"slot.start":"10:00"}"#))
        #expect(server.requests.count == 2)
        let missing = await runner.run(try Self.tool(server, retries: 3), arguments: #"{"day":"missing"}"#)
        #expect(missing == .failed("the service answered HTTP 404"))
        #expect(server.requests.count == 3, "a 404 is asked once")
    }

    @Test func aSlowOrHugeAnswerIsAFailureTheModelCanExplain() async throws {
        let huge = String(repeating: "x", count: ToolRunner.maximumAnswerBytes + 1)
        let server = try await LoopbackHTTPServer { request in
            request.path.hasSuffix("/slow") ? .json(200, "{}", delay: .seconds(2)) : .json(200, #"{"a":"\#(huge)"}"#)
        }
        defer { server.shutdown() }
        let http = HTTPClient(name: "tools-test")
        defer { http.shutdown() }
        let runner = Self.runner(http)
        let slow = await runner.run(try Self.tool(server, retries: 0), arguments: #"{"day":"slow"}"#)
        #expect(slow == .failed("the service did not answer (timed out)"))
        #expect(slow.message.contains("Apologise"))
        let large = await runner.run(try Self.tool(server, retries: 0), arguments: #"{"day":"big"}"#)
        #expect(large == .failed("the service's answer is too large"))
    }
}
