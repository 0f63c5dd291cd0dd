import Foundation
import Testing

@Suite struct HealthTests {
    struct ReadinessCase: Sendable, CustomStringConvertible {
        let events: Bool
        let ping: Bool
        var accepting = true
        var description: String { "events \(events), ping \(ping), accepting \(accepting)" }
    }

    @Test(arguments: [
        ReadinessCase(events: true, ping: true), ReadinessCase(events: false, ping: true),
        ReadinessCase(events: true, ping: false), ReadinessCase(events: false, ping: false),
        ReadinessCase(events: true, ping: true, accepting: false),
    ])
    func readyOnlyWhenEventsAreConnectedAsteriskAnswersAndNotDraining(_ state: ReadinessCase) async throws {
        try await TestServer.with(readiness: FakeReadiness(events: state.events, ping: state.ping, accepting: state.accepting)) { server in
            let response = try await server.request(.get, "/health/ready")
            let ready = state.events && state.ping && state.accepting
            #expect(response.status == (ready ? 200 : 503))
            let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect(body["status"] as? String == (ready ? "ready" : "not_ready"))
            let checks = try #require(body["checks"] as? [String: Bool])
            #expect(checks == ["ari_events_connected": state.events, "asterisk_ping": state.ping, "accepting_calls": state.accepting])
        }
    }

    @Test func unknownRoutesAndMethodsAnswerJSONErrors() async throws {
        try await TestServer.with { server in
            let missing = try await server.request(.get, "/v2/nothing")
            #expect(missing.status == 404)
            #expect(missing.apiError?.code == "not_found")
            let wrongMethod = try await server.request(.put, "/v1/calls")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.apiError?.code == "method_not_allowed")
            #expect(wrongMethod.head.header("Allow") == "GET, POST")
            let wrongOnCall = try await server.request(.patch, "/v1/calls/any-id")
            #expect(wrongOnCall.head.header("Allow") == "DELETE, GET")
            let missingUnderCall = try await server.request(.get, "/v1/calls/any-id/nothing")
            #expect(missingUnderCall.status == 404)
        }
    }
}
