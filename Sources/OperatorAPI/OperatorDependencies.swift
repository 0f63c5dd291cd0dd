import CallRecords
import Prometheus

/// What the operator API reads and steers: live calls, stored records, live events, readiness and metrics.
public struct OperatorDependencies: Sendable {
    /// The live calls (implemented by `Calls`).
    public var control: any CallControl
    /// Finished calls.
    public var records: any CallRecordStore
    /// Live events, published by `Calls` and streamed over SSE.
    public var events: CallEventHub
    /// Answers `/health/ready`.
    public var readiness: any ReadinessProbe
    /// The registry `/metrics` exposes; the same one ``URAMetrics`` records into.
    public var metrics: PrometheusCollectorRegistry
    /// How often an idle live-events stream sends a keepalive (and a call's stream checks that
    /// its call is still up).
    public var eventsHeartbeat: Duration
    /// Caps on event streams and on placing calls.
    public var limits: OperatorLimits

    public init(
        control: any CallControl, records: any CallRecordStore, events: CallEventHub, readiness: any ReadinessProbe,
        metrics: PrometheusCollectorRegistry, eventsHeartbeat: Duration = .seconds(15), limits: OperatorLimits = OperatorLimits()
    ) {
        self.control = control
        self.records = records
        self.events = events
        self.readiness = readiness
        self.metrics = metrics
        self.eventsHeartbeat = eventsHeartbeat
        self.limits = limits
    }
}
