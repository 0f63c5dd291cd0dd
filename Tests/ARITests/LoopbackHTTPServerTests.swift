import Foundation
import HTTP
import LoopbackHTTPServer
import Testing

/// The server's own behaviour that the ARI tests do not already exercise.
@Suite struct LoopbackHTTPServerTests {
    @Test func chunkedBodyArrivesPieceByPiece() async throws {
        let pieces = ["data: one\n\n", "data: two\n\n", "data: three\n\n"].map { Data($0.utf8) }
        let server = try await LoopbackHTTPServer { _ in
            LoopbackHTTPServer.Response(
                status: 200, headers: [("Content-Type", "text/event-stream")], fault: .chunked(pieces: pieces, pause: .milliseconds(20)))
        }
        let http = HTTPClient(name: "loopback-test")
        defer {
            http.shutdown()
            server.shutdown()
        }
        let (head, body) = try await http.stream(HTTPRequest(method: .get, url: server.baseURL.appendingPathComponent("events")))
        #expect(head.status == 200)
        #expect(head.header("Transfer-Encoding") == "chunked")
        var received = Data()
        var chunks = 0
        for try await chunk in body {
            received.append(chunk)
            chunks += 1
        }
        #expect(received == pieces.reduce(Data(), +))
        #expect(chunks >= 2)
    }

    @Test func keepAliveServesSeveralRequestsAndRecordsThemAll() async throws {
        let server = try await LoopbackHTTPServer { request in .json(200, #"{"path":"\#(request.path)"}"#) }
        let http = HTTPClient(name: "loopback-test")
        defer {
            http.shutdown()
            server.shutdown()
        }
        for index in 0..<5 {
            var request = HTTPRequest(method: .post, url: server.baseURL.appendingPathComponent("r\(index)"))
            request.body = Data("body-\(index)".utf8)
            let response = try await http.execute(request)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"path":"/r\#(index)"}"#)
        }
        let requests = server.requests
        #expect(requests.map(\.path) == (0..<5).map { "/r\($0)" })
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == (0..<5).map { "body-\($0)" })
    }

    @Test func queryItemsArePercentDecoded() async throws {
        let server = try await LoopbackHTTPServer { _ in .empty(204) }
        let http = HTTPClient(name: "loopback-test")
        defer {
            http.shutdown()
            server.shutdown()
        }
        _ = try await http.execute(HTTPRequest(method: .get, url: URL(string: "\(server.baseURL)/v?a=1%2C2&b=x%20y&c")!))
        let items = try #require(server.requests.first).queryItems
        #expect(items.map(\.name) == ["a", "b", "c"])
        #expect(items.map(\.value) == ["1,2", "x y", ""])
    }
}
