import Hummingbird

/// `GET /health/live` (is the process up) and `GET /health/ready` (can it take calls).
struct HealthController {
    struct Readiness: Codable {
        var status: String
        var checks: [String: Bool]
    }

    let readiness: any ReadinessProbe

    func register(on router: Router<OperatorRequestContext>) {
        router.get("/health/live") { _, _ in
            OperatorJSON.response(status: .ok, ["status": "live"])
        }
        router.get("/health/ready") { _, _ in
            async let events = readiness.ariEventsConnected()
            async let ping = readiness.asteriskAnswersPing()
            async let accepting = readiness.acceptingCalls()
            let checks = ["ari_events_connected": await events, "asterisk_ping": await ping, "accepting_calls": await accepting]
            let ready = checks.values.allSatisfy { $0 }
            return OperatorJSON.response(
                status: ready ? .ok : .serviceUnavailable, Readiness(status: ready ? "ready" : "not_ready", checks: checks))
        }
    }
}
