import Foundation
import LoopbackHTTPServer
import Testing
@testable import HTTP

@Suite("HTTPClient", .timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test func sendsMethodPathHeadersAuthAndBody() async throws {
        let server = try await LoopbackHTTPServer { _ in .json(200, "{\"ok\":true}") }
        defer { server.shutdown() }
        let client = HTTPClient(name: "test-http")
        defer { client.shutdown() }
        let body = Data("{\"n\":1}".utf8)
        let response = try await client.execute(HTTPRequest(
            method: .post, url: server.baseURL.appending(path: "ari/channels/abc/answer").appending(queryItems: [.init(name: "x", value: "1 2")]),
            headers: [("Content-Type", "application/json")], body: body,
            basicAuth: .init(username: "ura", password: "p@ss:word")))
        #expect(response.status == 200)
        #expect(response.head.header("content-type") == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"ok\":true}")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/ari/channels/abc/answer")
        #expect(request.query == "x=1%202")
        #expect(request.body == body)
        #expect(request.header("authorization") == "Basic " + Data("ura:p@ss:word".utf8).base64EncodedString())
        #expect(request.header("expect") == nil)
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .get])
    func emptyBodiesSendTheirMethod(method: HTTPRequest.Method) async throws {
        let server = try await LoopbackHTTPServer { _ in .empty(204) }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.execute(HTTPRequest(method: method, url: server.baseURL.appending(path: "x")))
        #expect(response.status == 204)
        let request = try #require(server.requests.first)
        #expect(request.method == method.rawValue)
        if method == .post || method == .put { #expect(request.header("content-length") == "0") }
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try await LoopbackHTTPServer { _ in .json(404, "{\"message\":\"Channel not found\"}") }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "ari/channels/nope")))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).contains("Channel not found"))
    }

    @Test func connectionsAreReused() async throws {
        let server = try await LoopbackHTTPServer { _ in .json(200, "{}") }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        for _ in 0..<20 { _ = try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "ping"))) }
        #expect(server.connectionCount == 1)
    }

    @Test func manyConcurrentRequestsAllComplete() async throws {
        let server = try await LoopbackHTTPServer { request in .json(200, "{\"path\":\"\(request.path)\"}") }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let response = try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "r\(index)")))
                    return String(decoding: response.body, as: UTF8.self) == "{\"path\":\"/r\(index)\"}"
                }
            }
            var all = true
            for try await ok in group { all = all && ok }
            #expect(all)
        }
    }

    @Test func timeoutIsReported() async throws {
        let server = try await LoopbackHTTPServer { _ in .init(status: 200, fault: .neverAnswer) }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.timedOut(url: server.baseURL.appending(path: "slow").absoluteString)) {
            try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "slow"), timeout: .milliseconds(300)))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func refusedConnectionIsReported() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        await #expect {
            try await client.execute(HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:1/x")!))
        } throws: { error in
            if case .connectionFailed? = error as? HTTPClientError { true } else { false }
        }
    }

    @Test func cutResponseIsAnError() async throws {
        let server = try await LoopbackHTTPServer { _ in .init(status: 200, body: Data(repeating: 65, count: 10_000), fault: .closeMidResponse) }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "cut")))
        }
    }

    @Test func cancellationAbortsTheTransferAtOnce() async throws {
        let server = try await LoopbackHTTPServer { _ in .init(status: 200, fault: .neverAnswer) }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let task = Task {
            try await client.execute(HTTPRequest(method: .get, url: server.baseURL.appending(path: "hang"), timeout: .seconds(30)))
        }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aCancelThatOvertakesItsStartStopsTheTransferBeforeItBegins() async throws {
        let server = try await LoopbackHTTPServer { _ in .init(status: 200, fault: .neverAnswer) }
        defer { server.shutdown() }
        let loop = CurlLoop(name: "test-curl")
        defer { loop.post(.stop) }
        let cancellation = CancellationFlag()
        let request = HTTPRequest(method: .get, url: server.baseURL.appending(path: "hang"), timeout: .seconds(30))
        let started = ContinuousClock.now
        // The order a task cancelled while posting its request can produce: cancel, then start.
        await #expect(throws: CancellationError.self) {
            let _: HTTPResponse = try await withCheckedThrowingContinuation { continuation in
                cancellation.set()
                loop.post(.cancel(7))
                loop.post(.start(Transfer(id: 7, request: request, cancellation: cancellation, delivery: .buffered(continuation))))
            }
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func streamDeliversTheHeadFirstThenChunksAsTheyCome() async throws {
        let pieces = ["data: one\n\n", "data: two\n\n", "data: [DONE]\n\n"].map { Data($0.utf8) }
        let server = try await LoopbackHTTPServer { _ in
            .init(status: 200, headers: [("Content-Type", "text/event-stream")], fault: .chunked(pieces: pieces, pause: .milliseconds(50)))
        }
        defer { server.shutdown() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let (head, body) = try await client.stream(HTTPRequest(method: .post, url: server.baseURL.appending(path: "v1/chat/completions")))
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/event-stream")
        var received = Data()
        var chunks = 0
        for try await chunk in body {
            received += chunk
            chunks += 1
        }
        #expect(String(decoding: received, as: UTF8.self) == "data: one\n\ndata: two\n\ndata: [DONE]\n\n")
        #expect(chunks >= 2)
    }

    @Test func requestsAfterShutdownFail() async throws {
        let client = HTTPClient()
        client.shutdown()
        await #expect(throws: HTTPClientError.shutDown) {
            try await client.execute(HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:9/x")!))
        }
    }
}
