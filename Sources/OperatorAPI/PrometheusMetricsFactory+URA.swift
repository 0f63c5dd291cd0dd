import Prometheus
import Telemetry

extension PrometheusMetricsFactory {
    /// A factory writing into `registry` with ``URAMetrics``' histogram buckets.
    ///
    /// Bootstrap swift-metrics with it once per process (`MetricsSystem.bootstrap`), or hand it to
    /// ``URAMetrics/init(factory:)`` directly (tests do, with a registry of their own).
    public static func ura(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        for name in URAMetrics.Name.latencyHistograms {
            factory.durationHistogramBuckets[name] = URAMetrics.latencyBuckets
        }
        factory.valueHistogramBuckets[URAMetrics.Name.rtpJitter] = URAMetrics.jitterBuckets
        return factory
    }
}
