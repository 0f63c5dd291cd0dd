import Foundation
import HTTP
@testable import OperatorAPI
import Testing

/// Without `OPERATOR_TOKEN` only a TCP peer on a literal loopback address gets in: no header, no
/// name and no IPv4-mapped spelling stands in for it.
@Suite struct LoopbackExemptionTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("::1", true), ("::ffff:127.0.0.1", false), ("127.0.0.2", false), ("localhost", false),
        ("0.0.0.0", false), ("::", false), ("192.0.2.10", false), ("", false),
    ])
    func onlyLiteralLoopbackPeersPass(peer: String, passes: Bool) {
        #expect(LoopbackOnlyMiddleware.isLoopback(peer: peer) == passes)
    }

    @Test func noPeerAddressDoesNotPass() {
        #expect(!LoopbackOnlyMiddleware.isLoopback(peer: nil))
    }

    /// A dual-stack bind (`::`) sees an IPv4 client as `::ffff:127.0.0.1`: refused, whatever the
    /// request's headers claim; the same server answers a client on `::1`.
    @Test func withoutATokenAnIPv4MappedPeerIsRefusedWhateverItsHeadersSay() async throws {
        try await TestServer.with(token: nil, host: "::") { server in
            let port = try #require(server.baseURL.port)
            let spoofed = try await server.client.execute(HTTPRequest(
                method: .get, url: server.baseURL.appendingPathComponent("v1/calls"),
                headers: [("Host", "localhost"), ("X-Forwarded-For", "127.0.0.1"), ("X-Real-IP", "::1"), ("Forwarded", "for=127.0.0.1")]))
            #expect(spoofed.status == 403)
            #expect(spoofed.apiError?.code == "forbidden")
            let originate = try await server.request(.post, "/v1/calls", json: #"{"endpoint":"PJSIP/1001","bot":"echo"}"#, authorization: nil)
            #expect(originate.status == 403)
            #expect(await server.control.actions.isEmpty)

            let live = try await server.request(.get, "/health/live", authorization: nil)
            #expect(live.status == 200, "liveness stays open to everyone")

            let loopback = try await server.client.execute(HTTPRequest(method: .get, url: try #require(URL(string: "http://[::1]:\(port)/v1/calls"))))
            #expect(loopback.status == 200)
        }
    }

    /// With a token, a loopback peer needs it like any other: a wildcard bind exempts nobody.
    @Test func withATokenEvenALoopbackPeerNeedsIt() async throws {
        try await TestServer.with(host: "0.0.0.0") { server in
            let refused = try await server.request(.get, "/v1/calls", authorization: nil)
            #expect(refused.status == 401)
            let accepted = try await server.request(.get, "/v1/calls")
            #expect(accepted.status == 200)
        }
    }
}
