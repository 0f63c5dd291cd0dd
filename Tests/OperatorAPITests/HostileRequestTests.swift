import CallRecordsTesting
import Foundation
import HTTP
import OperatorAPI
import Testing

/// Whatever a client sends, the answer is a 4xx with the JSON error shape: never a 5xx, never a crash.
@Suite struct HostileRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: Data?
        var testDescription: String { "\(method.rawValue) \(path.prefix(60)) \(body.map { "(\($0.count) B)" } ?? "")" }

        init(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil) {
            self.method = method
            self.path = path
            body = json.map { Data($0.utf8) }
        }

        init(_ method: HTTPRequest.Method, _ path: String, bytes: Data) {
            self.method = method
            self.path = path
            body = bytes
        }
    }

    static let cases: [Case] = [
        Case(.get, "/v1/calls?limit=99999999999999999999999999"),
        Case(.get, "/v1/calls?limit=-9223372036854775808"),
        Case(.get, "/v1/calls?limit=0"),
        Case(.get, "/v1/calls?limit=1e3"),
        Case(.get, "/v1/calls?from=-0001-01-01T00:00:00Z"),
        Case(.get, "/v1/calls?from=2026-13-45T25:61:61Z"),
        Case(.get, "/v1/calls?to=%00"),
        Case(.get, "/v1/calls?to=\(String(repeating: "9", count: 4000))"),
        Case(.get, "/v1/calls?state=ACTIVE"),
        Case(.get, "/v1/calls?outcome="),
        Case(.get, "/v1/calls?outcome=%FF%FE"),
        Case(.get, "/v1/calls/%FF%FE"),
        Case(.get, "/v1/calls/%"),
        Case(.get, "/v1/calls/a%2Fb/events"),
        Case(.delete, "/v1/calls/\(String(repeating: "x", count: 4000))"),
        Case(.post, "/v1/calls", "[]"),
        Case(.post, "/v1/calls", "null"),
        Case(.post, "/v1/calls", #""PJSIP/1001""#),
        Case(.post, "/v1/calls", #"{"endpoint":1,"bot":"echo"}"#),
        Case(.post, "/v1/calls", #"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"":"x"}}"#),
        Case(.post, "/v1/calls", #"{"endpoint":"PJSIP/1001","bot":"echo","variables":[1,2]}"#),
        Case(.post, "/v1/calls", #"{"endpoint":"PJSIP/1001","bot":"flow:"}"#),
        Case(.post, "/v1/calls", #"{"endpoint":"/","bot":"echo"}"#),
        Case(.post, "/v1/calls", #"{"endpoint":"PJSIP/1001\u0000","bot":"echo"}"#),
        Case(.post, "/v1/calls/live-1/say", #"{"text":"hi","interrupt":1e999}"#),
        Case(.post, "/v1/calls/live-1/say", #"{"text":"\ud800"}"#),
        Case(.post, "/v1/calls/live-1/say", #"{"text":"   "}"#),
        Case(.post, "/v1/calls/live-1/say", bytes: Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])),
        Case(.post, "/v1/calls/live-1/say", String(repeating: "[", count: 60_000)),
        Case(.post, "/v1/calls/live-1/say", String(repeating: #"{"a":"#, count: 12_000)),
        Case(.post, "/v1/calls/live-1/transfer", #"{"destination":["PJSIP/1002"]}"#),
        Case(.post, "/v1/calls/live-1/transfer", #"{"destination":"\#(String(repeating: "9", count: 300))"}"#),
    ]

    @Test(arguments: cases)
    func aMalformedRequestIsA4xxJSONError(_ hostile: Case) async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "live-1", outcome: nil)])
        try await TestServer.with(control: control) { server in
            var request = try server.makeRequest(hostile.method, "/health/live")
            request.url = try #require(URL(string: server.baseURL.absoluteString + hostile.path))
            request.body = hostile.body
            if hostile.body != nil { request.headers.append((name: "Content-Type", value: "application/json")) }
            let response = try await server.client.execute(request)
            #expect((400..<500).contains(response.status), "\(response.status): \(response.text.prefix(200))")
            #expect(response.apiError != nil, "not the JSON error shape: \(response.text.prefix(200))")
            // The server is still up and sane after it.
            #expect(try await server.request(.get, "/health/live").status == 200)
        }
    }
}
