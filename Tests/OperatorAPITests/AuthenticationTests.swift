import CallRecordsTesting
import Foundation
import HTTP
import Testing

/// Every route but liveness refuses requests without the right bearer token, and says nothing else.
@Suite struct AuthenticationTests {
    static let protectedRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/health/ready"), (.get, "/v1/calls"), (.post, "/v1/calls"), (.get, "/v1/calls/live-1"),
        (.delete, "/v1/calls/live-1"), (.post, "/v1/calls/live-1/say"), (.post, "/v1/calls/live-1/transfer"),
        (.get, "/v1/calls/live-1/events"), (.get, "/v1/events"), (.get, "/metrics"), (.get, "/openapi.json"),
        (.get, "/no/such/route"),
    ]

    static let badAuthorizations: [String?] = [
        nil, "Bearer wrong-token", "Bearer \(TestServer.token)x", "Bearer \(TestServer.token.dropLast())", "bearer", "Basic dXJhOnVyYQ==",
        TestServer.token,
    ]

    @Test func everyProtectedRouteAnswers401WithOnlyTheErrorBody() async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "live-1", outcome: nil)])
        try await TestServer.with(control: control) { server in
            for (method, path) in Self.protectedRoutes {
                for authorization in Self.badAuthorizations {
                    let response = try await server.request(method, path, json: method == .post ? #"{"text":"hi"}"# : nil, authorization: authorization)
                    #expect(response.status == 401, "\(method.rawValue) \(path) with \(authorization ?? "no header")")
                    #expect(response.apiError?.code == "unauthorized")
                    #expect(response.head.header("WWW-Authenticate") == "Bearer")
                    #expect(!response.text.contains("live-1"), "401 body leaks call data: \(response.text)")
                }
            }
            #expect(await control.actions.isEmpty)
        }
    }

    @Test func livenessNeedsNoToken() async throws {
        try await TestServer.with { server in
            let response = try await server.request(.get, "/health/live", authorization: nil)
            #expect(response.status == 200)
            #expect(response.text.contains("live"))
        }
    }

    @Test func theRightTokenIsAcceptedWhateverTheSchemeCase() async throws {
        try await TestServer.with { server in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let response = try await server.request(.get, "/v1/calls", authorization: "\(scheme) \(TestServer.token)")
                #expect(response.status == 200, "\(scheme)")
            }
        }
    }

    @Test func withoutAConfiguredTokenEveryRouteIsOpen() async throws {
        try await TestServer.with(token: nil) { server in
            let response = try await server.request(.get, "/v1/calls", authorization: nil)
            #expect(response.status == 200)
        }
    }
}
