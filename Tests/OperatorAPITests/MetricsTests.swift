import Foundation
import ProcessTesting
import Telemetry
import Testing

@Suite struct MetricsTests {
    @Test func recordedMetricsAreServedInPrometheusTextFormat() async throws {
        try await TestServer.with { server in
            let metrics = server.metrics
            metrics.callStarted()
            metrics.callStarted()
            metrics.callEnded(outcome: "completed")
            metrics.turnStage(.recognizerFinal, latency: .milliseconds(180))
            metrics.turnStage(.firstRTPPacket, latency: .milliseconds(640))
            metrics.turnStage(.firstRTPPacket, latency: .milliseconds(1200))
            metrics.bargeIn(false: false, stopLatency: .milliseconds(35))
            metrics.bargeIn(false: true, stopLatency: nil)
            metrics.rtp(received: 500, lost: 3, late: 1, jitterSeconds: 0.0045)
            metrics.providerRequest(provider: "deepgram", kind: .speechToText, latency: .milliseconds(90), failed: false)
            metrics.providerRequest(provider: "deepgram", kind: .speechToText, latency: .milliseconds(3000), failed: true)
            metrics.replyFailed(response: "apology")
            metrics.replyFailed(response: "transfer")
            metrics.replyFailed(response: "transfer")
            metrics.ariReconnected()
            metrics.cost(provider: "openai", amount: 0.25)

            let response = try await server.request(.get, "/metrics")
            #expect(response.status == 200)
            #expect(response.head.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let exposition = try PrometheusExposition(parsing: response.text)

            #expect(exposition.types[URAMetrics.Name.activeCalls] == "gauge")
            #expect(exposition.value(URAMetrics.Name.activeCalls) == 1)
            #expect(exposition.value(URAMetrics.Name.calls, ["outcome": "completed"]) == 1)
            #expect(exposition.types[URAMetrics.Name.turnLatency] == "histogram")
            #expect(exposition.value(URAMetrics.Name.turnLatency + "_count", ["stage": "first_rtp_packet"]) == 2)
            #expect(exposition.value(URAMetrics.Name.voiceToVoice + "_count") == 2)
            #expect(exposition.value(URAMetrics.Name.voiceToVoice + "_bucket", ["le": "0.7"]) == 1)
            #expect(exposition.value(URAMetrics.Name.bargeIns, ["false": "true"]) == 1)
            #expect(exposition.value(URAMetrics.Name.bargeIns, ["false": "false"]) == 1)
            #expect(exposition.value(URAMetrics.Name.rtpLost) == 3)
            #expect(exposition.value(URAMetrics.Name.providerErrors, ["provider": "deepgram", "kind": "stt"]) == 1)
            #expect(exposition.value(URAMetrics.Name.providerRequests, ["provider": "deepgram", "kind": "stt"]) == 2)
            #expect(exposition.value(URAMetrics.Name.failedReplies, ["response": "transfer"]) == 2)
            #expect(exposition.value(URAMetrics.Name.failedReplies, ["response": "apology"]) == 1)
            #expect(exposition.value(URAMetrics.Name.ariReconnects) == 1)
            #expect(exposition.value(URAMetrics.Name.cost, ["provider": "openai"]) == 0.25)
        }
    }

    /// Every metric ura has, once, so the exposition shows them all.
    static func recordEveryMetric(_ metrics: URAMetrics) {
        metrics.callStarted()
        metrics.callEnded(outcome: "completed")
        metrics.callLost()
        metrics.turnEnded("completed")
        metrics.recordSaveFailed()
        for stage in URAMetrics.TurnStage.allCases { metrics.turnStage(stage, latency: .milliseconds(300)) }
        metrics.bargeIn(false: false, stopLatency: .milliseconds(40))
        metrics.rtp(received: 50, lost: 1, late: 1, jitterSeconds: 0.003)
        metrics.providerRequest(provider: "openai", kind: .language, latency: .milliseconds(500), failed: true)
        metrics.replyFailed(response: "apology")
        metrics.ariReconnected()
        metrics.cost(provider: "openai", amount: 0.01)
        metrics.eventsDropped(2)
        metrics.transferRefused(source: "llm", reason: "not_allowed")
        metrics.callRejected(reason: "max_calls")
        metrics.webhookDelivery(result: "delivered")
        metrics.toolCall(tool: "book", result: "ok")
        metrics.peerCallersContinued(1)
        metrics.pacerHealth(p99: .microseconds(300), maximum: .milliseconds(3), lateSends: 2, skippedSlots: 0, realtime: true)
    }

    /// Prometheus' own linter (`promtool check metrics`, Debian's `prometheus` package, which
    /// scripts/setup installs) finds nothing to say about a live `/metrics` holding every metric:
    /// each has HELP text, counters end in `_total`, durations are in seconds.
    @Test func prometheusLinterAcceptsEveryMetric() async throws {
        try await TestServer.with { server in
            Self.recordEveryMetric(server.metrics)
            let response = try await server.request(.get, "/metrics")
            let exposition = try PrometheusExposition(parsing: response.text)
            for name in URAMetrics.Name.all {
                #expect(exposition.types[name] != nil, "\(name) is not exposed")
                #expect(response.text.contains("# HELP \(name) "), "\(name) has no HELP text")
            }
            let directory = FileManager.default.temporaryDirectory
            let file = directory.appending(path: "metrics-\(UUID().uuidString).txt")
            try response.text.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let lint = try await Subprocess.run(
                URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "promtool check metrics < '\(file.path)'"],
                environment: ["PATH": "/usr/bin:/bin"], in: directory)
            #expect(lint.status == 0, "promtool: \(lint.standardOutput) \(lint.standardError)")
            #expect(lint.standardOutput.isEmpty && lint.standardError.isEmpty, "promtool: \(lint.standardOutput) \(lint.standardError)")
        }
    }

    @Test func theParserRejectsWhatIsNotTheFormat() {
        let broken = [
            "ura_x 1",  // no TYPE
            "# TYPE ura_x counter\nura_x{a=\"1\" 1",
            "# TYPE ura_x counter\nura_x one",
            "# TYPE ura_h histogram\nura_h_bucket{le=\"1\"} 2\nura_h_bucket{le=\"+Inf\"} 1\nura_h_count 1\nura_h_sum 1",
        ]
        for text in broken {
            #expect(throws: PrometheusExposition.Invalid.self, "\(text)") { try PrometheusExposition(parsing: text) }
        }
    }
}
