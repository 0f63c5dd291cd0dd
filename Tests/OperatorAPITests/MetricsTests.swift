import Foundation
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
            metrics.rtp(received: 500, lost: 3, late: 1, jitterMilliseconds: 4.5)
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
