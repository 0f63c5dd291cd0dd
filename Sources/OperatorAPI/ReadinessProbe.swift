/// Answers `GET /health/ready`: can ura take calls now?
///
/// ura is ready when the ARI events socket is connected, Asterisk answers a ping and it takes
/// new calls (not draining after SIGTERM: a rolling deploy's load balancer or orchestrator stops
/// sending work at once). The ARI module (through the call service) conforms; each method should
/// answer within a second or two.
public protocol ReadinessProbe: Sendable {
    /// True while the events WebSocket to Asterisk is open.
    func ariEventsConnected() async -> Bool
    /// True when a cheap ARI request (`GET /ari/asterisk/ping`) succeeded just now.
    func asteriskAnswersPing() async -> Bool
    /// False once shutdown began: calls in progress drain, no new one is taken or claimed.
    func acceptingCalls() async -> Bool
}
