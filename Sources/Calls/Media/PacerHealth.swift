import Logging
import Media
import ServiceLifecycle
import Telemetry

/// Says once whether the media clock got real-time priority, then every ``interval`` exports
/// how the pacer kept time (``URAMetrics/pacerHealth(p99:maximum:lateSends:skippedSlots:realtime:)``):
/// the figures `scripts/bench media` measures, from a running ura.
public struct PacerHealth: Service {
    let engine: MediaEngine
    let metrics: URAMetrics
    let logger: Logger
    let interval: Duration

    /// A send later than this after its deadline counts as late: the 2 ms pacing goal.
    public static let lateThreshold = Duration.milliseconds(2)

    public init(engine: MediaEngine, metrics: URAMetrics = URAMetrics(), interval: Duration = .seconds(10), logger: Logger) {
        self.engine = engine
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // The only error out of here is a sleep's CancellationError: shutdown, a normal end.
        try? await cancelWhenGracefulShutdown {
            // The clock thread asks for SCHED_FIFO as it starts; give it a moment to have asked.
            try await Task.sleep(for: .milliseconds(200))
            if engine.clock.isRealtime {
                logger.info("media clock at real-time priority (SCHED_FIFO)")
            } else {
                logger.notice(
                    "media clock at normal priority: real-time was refused (give the process CAP_SYS_NICE, or raise RLIMIT_RTPRIO); pacing may suffer under load")
            }
            var previous = engine.pacer.stats.sendError
            var previousSkipped = engine.clock.stats.slotsSkipped
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let now = engine.pacer.stats.sendError
                let skipped = engine.clock.stats.slotsSkipped
                let window = now.since(previous)
                metrics.pacerHealth(
                    p99: .nanoseconds(window.percentile(0.99)), maximum: .nanoseconds(window.maximum),
                    lateSends: Int(window.count(above: UInt64(Self.lateThreshold / .nanoseconds(1)))),
                    skippedSlots: Int(skipped - min(skipped, previousSkipped)), realtime: engine.clock.isRealtime)
                previous = now
                previousSkipped = skipped
            }
        }
    }
}
