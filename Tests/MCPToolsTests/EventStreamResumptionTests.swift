import Foundation
import HTTP
import Logging
import LoopbackHTTPServer
import Synchronization
import Testing
@testable import MCPTools

/// The GET stream of a streamable HTTP server, broken and resumed, against a scripted server
/// (the SDK's own server keeps no events to replay).
@Suite(.timeLimit(.minutes(1))) struct EventStreamResumptionTests {
    @Test func aBrokenEventStreamIsResumedFromTheLastEventTheServerNumbered() async throws {
        let streams = Atomic<Int>(0)
        let server = try await LoopbackHTTPServer { request in
            switch request.method {
            case "POST" where String(decoding: request.body, as: UTF8.self).contains(#""initialize""#):
                var answer = LoopbackHTTPServer.Response.json(
                    200, #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"s","version":"1"}}}"#)
                answer.headers.append(("Mcp-Session-Id", "session-1"))
                return answer
            case "POST": return .empty(202)
            case "GET":
                // Each stream says one numbered thing, then breaks; the third stays quiet.
                let number = streams.add(1, ordering: .relaxed).newValue
                guard number < 3 else { return .init(status: 200, headers: [("Content-Type", "text/event-stream")], fault: .neverAnswer) }
                let event = "id: event-\(40 + number)\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n"
                return .init(status: 200, headers: [("Content-Type", "text/event-stream")], body: Data(event.utf8))
            default: return .empty(405)
            }
        }
        defer { server.shutdown() }
        let http = HTTPClient(name: "mcp-resume-test")
        defer { http.shutdown() }
        let transport = StreamableHTTPTransport(url: server.baseURL.appending(path: "mcp"), headers: [], http: http, logger: Logger(label: "test.mcp"))
        try await transport.connect()
        try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#.utf8))
        try await transport.send(Data(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8))
        let deadline = ContinuousClock.now + .seconds(10)
        while server.requests.filter({ $0.method == "GET" }).count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await transport.disconnect()
        let gets = server.requests.filter { $0.method == "GET" }
        try #require(gets.count >= 3)
        #expect(gets[0].header("Last-Event-ID") == nil)
        #expect(gets[1].header("Last-Event-ID") == "event-41")
        #expect(gets[2].header("Last-Event-ID") == "event-42")
        #expect(gets.allSatisfy { $0.header("Mcp-Session-Id") == "session-1" })
    }

    @Test func aServerWithoutSessionsStillGetsItsEventStream() async throws {
        let server = try await LoopbackHTTPServer { request in
            switch request.method {
            case "POST" where String(decoding: request.body, as: UTF8.self).contains(#""initialize""#):
                return .json(200, #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"s","version":"1"}}}"#)
            case "POST": return .empty(202)
            case "GET":
                let event = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n"
                return .init(status: 200, headers: [("Content-Type", "text/event-stream")], body: Data(event.utf8))
            default: return .empty(405)
            }
        }
        defer { server.shutdown() }
        let http = HTTPClient(name: "mcp-sessionless-test")
        defer { http.shutdown() }
        let transport = StreamableHTTPTransport(url: server.baseURL.appending(path: "mcp"), headers: [], http: http, logger: Logger(label: "test.mcp"))
        try await transport.connect()
        var messages = transport.receive().makeAsyncIterator()
        try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#.utf8))
        _ = try await messages.next()
        try await transport.send(Data(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8))
        let deadline = ContinuousClock.now + .seconds(10)
        while !server.requests.contains(where: { $0.method == "GET" }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(server.requests.contains { $0.method == "GET" && $0.header("Mcp-Session-Id") == nil }, "the event stream was asked for")
        let notice = try #require(try await messages.next())
        #expect(String(decoding: notice, as: UTF8.self).contains("notifications/tools/list_changed"))
        await transport.disconnect()
    }
}
