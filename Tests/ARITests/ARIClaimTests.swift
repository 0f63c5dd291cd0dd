import ARI
import Foundation
import LoopbackHTTPServer
import Testing

/// `POST /events/claim` answers as captured on Asterisk 22.10.1: 204, 409, 404.
@Suite struct ARIClaimTests {
    @Test(arguments: [
        (204, ARIClient.ClaimOutcome.claimed), (409, .claimedByAnother), (404, .notOffered),
    ])
    func claimOutcomes(status: Int, outcome: ARIClient.ClaimOutcome) async throws {
        let body = status == 204 ? "" : #"{"message":"Channel has already been claimed by another application"}"#
        try await ARIClientHarness.run(handler: { _ in status == 204 ? LoopbackHTTPServer.Response(status: 204) : .json(status, body) }) { harness in
            #expect(try await harness.client.claim("1796282585.239", for: "ura-1") == outcome)
            let request = try harness.request
            #expect(request.method == "POST")
            #expect(request.path.hasPrefix("/ari/events/claim"))
            let sent = String(decoding: request.body, as: UTF8.self) + request.path
            #expect(sent.contains("1796282585.239") && sent.contains("ura-1"))
        }
    }

    @Test func otherFailuresAreErrors() async throws {
        try await ARIClientHarness.run(handler: { _ in .json(500, #"{"message":"boom"}"#) }) { harness in
            await #expect(throws: ARIError.self) { try await harness.client.claim("c1", for: "ura-1") }
        }
    }
}
