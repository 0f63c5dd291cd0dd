import CoreMetrics
import Metrics

/// The metrics ura exports, one method per thing worth counting, so every module records them the same way.
///
/// Names and labels are fixed here (``Name``) and nowhere else; dashboards and alerts depend on
/// them. Each call goes through swift-metrics, so whichever factory was given (Prometheus in
/// `ura serve`, a test factory in tests) receives it. Latencies are recorded as swift-metrics
/// timers, which Prometheus exposes as histograms in seconds.
///
/// - Important: labels take values from small closed sets (outcome, stage, provider name): never
///   pass a call id or a phone number, which would make one time series per call.
///
/// Thread-safe: every method can be called from any thread or task; the handlers are looked up
/// (and cached) by the factory.
public struct URAMetrics: Sendable {
    /// Metric names as Prometheus shows them.
    public enum Name {
        public static let activeCalls = "ura_calls_active"
        public static let calls = "ura_calls_total"
        public static let turnLatency = "ura_turn_latency_seconds"
        public static let voiceToVoice = "ura_voice_to_voice_seconds"
        public static let bargeIns = "ura_barge_ins_total"
        public static let bargeInStop = "ura_barge_in_stop_seconds"
        public static let rtpReceived = "ura_rtp_packets_received_total"
        public static let rtpLost = "ura_rtp_packets_lost_total"
        public static let rtpLate = "ura_rtp_packets_late_total"
        public static let rtpJitter = "ura_rtp_jitter_seconds"
        public static let providerRequests = "ura_provider_requests_total"
        public static let providerErrors = "ura_provider_errors_total"
        public static let providerLatency = "ura_provider_latency_seconds"
        public static let failedReplies = "ura_failed_replies_total"
        public static let ariReconnects = "ura_ari_reconnects_total"
        public static let cost = "ura_cost_total"
        public static let eventsDropped = "ura_operator_events_dropped_total"
        public static let transfersRefused = "ura_transfers_refused_total"
        public static let callsRejected = "ura_calls_rejected_total"
        public static let turns = "ura_turns_total"
        public static let recordSaveFailures = "ura_record_save_failures_total"
        public static let peerCallersContinued = "ura_peer_callers_continued_total"
        public static let webhookDeliveries = "ura_webhook_deliveries_total"
        public static let toolCalls = "ura_tool_calls_total"
        public static let pacerSendErrorP99 = "ura_pacer_send_error_p99_seconds"
        public static let pacerSendErrorMax = "ura_pacer_send_error_max_seconds"
        public static let pacerLateSends = "ura_pacer_late_sends_total"
        public static let pacerSkippedTicks = "ura_pacer_skipped_slots_total"
        public static let pacerRealtime = "ura_pacer_realtime"

        /// Every name above, for checks that dashboards and alerts use only real metrics.
        public static let all = [
            activeCalls, calls, turnLatency, voiceToVoice, bargeIns, bargeInStop, rtpReceived, rtpLost, rtpLate, rtpJitter,
            providerRequests, providerErrors, providerLatency, failedReplies, ariReconnects, cost, eventsDropped,
            transfersRefused, callsRejected, turns, recordSaveFailures, peerCallersContinued,
            webhookDeliveries, toolCalls, pacerSendErrorP99, pacerSendErrorMax, pacerLateSends, pacerSkippedTicks, pacerRealtime,
        ]

        /// What each metric means, as `/metrics` says on its `# HELP` line.
        public static let help: [String: String] = [
            activeCalls: "Calls this instance carries now.",
            calls: "Calls ended, by outcome (lost: left unfinished by an earlier run).",
            turnLatency: "Time from the end of the caller's speech to each stage of the reply.",
            voiceToVoice: "Time from the end of the caller's speech to the first packet of the reply.",
            bargeIns: "Times the caller spoke over the bot (false: noise or a backchannel that did not stop it).",
            bargeInStop: "Time from the caller's barge-in to the bot's audio stopping.",
            rtpReceived: "RTP packets received from Asterisk.",
            rtpLost: "RTP packets that never arrived (sequence gaps).",
            rtpLate: "RTP packets that arrived after their audio was played.",
            rtpJitter: "Interarrival jitter of calls' RTP (RFC 3550), sampled at each report.",
            providerRequests: "Requests to AI providers, by provider and kind (stt, tts, llm).",
            providerErrors: "Requests to AI providers that failed.",
            providerLatency: "Time AI providers took to answer.",
            failedReplies: "Bot replies that failed after every retry and fallback, by what the caller got instead.",
            ariReconnects: "Times the ARI events socket was connected again after a loss.",
            cost: "Money spent with AI providers, in the configured currency.",
            eventsDropped: "Live events a slow operator client did not get.",
            transfersRefused: "Transfers not made, by who asked and why.",
            callsRejected: "Callers sent back to the dialplan without being taken, by reason.",
            turns: "Conversation turns ended, by how they ended.",
            recordSaveFailures: "Call record writes that failed.",
            peerCallersContinued: "Callers of a dead ura instance this one sent on in the dialplan.",
            webhookDeliveries: "Webhook events, by fate (delivered, failed, dropped).",
            toolCalls: "Business tool calls, by tool and result (ok, bad_arguments, failed).",
            pacerSendErrorP99: "99th percentile of how late the media clock sent packets after their deadline, over the last 10 s.",
            pacerSendErrorMax: "Latest a packet was sent after its deadline, over the last 10 s.",
            pacerLateSends: "Packets the media clock sent more than 2 ms after their deadline.",
            pacerSkippedTicks: "Media clock slots skipped because the clock thread was stalled.",
            pacerRealtime: "1 when the media clock thread runs at real-time priority (SCHED_FIFO), else 0.",
        ]
    }

    /// A stage of a turn, measured from the end of the caller's speech.
    public enum TurnStage: String, Sendable, CaseIterable {
        case recognizerFinal = "recognizer_final"
        case firstBrainToken = "first_brain_token"
        case firstSynthesizedAudio = "first_synthesized_audio"
        case firstRTPPacket = "first_rtp_packet"
    }

    /// What a provider was asked to do.
    public enum ProviderKind: String, Sendable, CaseIterable {
        case speechToText = "stt"
        case textToSpeech = "tts"
        case language = "llm"
    }

    /// Bucket bounds for the latency histograms (every timer): 20 ms to 10 s, dense around the 300–1500 ms a
    /// voice agent lives in.
    public static let latencyBuckets: [Duration] = [20, 50, 100, 150, 200, 300, 400, 500, 700, 1000, 1500, 2000, 3000, 5000, 10000].map { .milliseconds($0) }

    /// Bucket bounds, in seconds, for RTP jitter (1 to 160 ms).
    public static let jitterBuckets: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16]

    private let factory: any MetricsFactory

    /// - Parameter factory: where metrics go; the process-wide `MetricsSystem.factory` unless given.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A call was taken or placed.
    public func callStarted() {
        Meter(label: Name.activeCalls, factory: factory).increment()
    }

    /// A call ended, however it ended.
    public func callEnded(outcome: String) {
        Meter(label: Name.activeCalls, factory: factory).decrement()
        Counter(label: Name.calls, dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// A call an earlier run of ura left unfinished was found gone: counted under the outcome
    /// `lost` (the run that started it counted it as active, not this one).
    public func callLost() {
        Counter(label: Name.calls, dimensions: [("outcome", "lost")], factory: factory).increment()
    }

    /// A turn ended: `completed`, or what cut it (`barge_in`, `caller_hangup`, `transferred`, …).
    public func turnEnded(_ end: String) {
        Counter(label: Name.turns, dimensions: [("end", end)], factory: factory).increment()
    }

    /// Writing a call record to the store failed; the call went on, a later save may catch up.
    public func recordSaveFailed() {
        Counter(label: Name.recordSaveFailures, factory: factory).increment()
    }

    /// One stage of one turn took `latency`; ``TurnStage/firstRTPPacket`` also feeds voice-to-voice.
    public func turnStage(_ stage: TurnStage, latency: Duration) {
        Timer(label: Name.turnLatency, dimensions: [("stage", stage.rawValue)], factory: factory).record(duration: latency)
        if stage == .firstRTPPacket {
            Timer(label: Name.voiceToVoice, factory: factory).record(duration: latency)
        }
    }

    /// The caller spoke over the bot. A false barge-in (noise, "uhum") is counted apart.
    /// - Parameter stopLatency: how long until the bot's audio stopped, when it did.
    public func bargeIn(false isFalse: Bool, stopLatency: Duration?) {
        Counter(label: Name.bargeIns, dimensions: [("false", isFalse ? "true" : "false")], factory: factory).increment()
        if let stopLatency {
            Timer(label: Name.bargeInStop, factory: factory).record(duration: stopLatency)
        }
    }

    /// RTP counts since the last report of the same call, and the jitter now.
    public func rtp(received: Int, lost: Int, late: Int, jitterSeconds: Double) {
        Counter(label: Name.rtpReceived, factory: factory).increment(by: max(0, received))
        Counter(label: Name.rtpLost, factory: factory).increment(by: max(0, lost))
        Counter(label: Name.rtpLate, factory: factory).increment(by: max(0, late))
        Recorder(label: Name.rtpJitter, factory: factory).record(jitterSeconds)
    }

    /// One provider request finished, well or not.
    public func providerRequest(provider: String, kind: ProviderKind, latency: Duration, failed: Bool) {
        let dimensions = [("provider", provider), ("kind", kind.rawValue)]
        Counter(label: Name.providerRequests, dimensions: dimensions, factory: factory).increment()
        if failed {
            Counter(label: Name.providerErrors, dimensions: dimensions, factory: factory).increment()
        }
        Timer(label: Name.providerLatency, dimensions: dimensions, factory: factory).record(duration: latency)
    }

    /// A bot reply failed after every provider's retries and fallbacks; `response` is what the
    /// caller got instead: `apology`, `silence`, `transfer` or `hangup`.
    public func replyFailed(response: String) {
        Counter(label: Name.failedReplies, dimensions: [("response", response)], factory: factory).increment()
    }

    /// The ARI events socket was connected again after a loss.
    public func ariReconnected() {
        Counter(label: Name.ariReconnects, factory: factory).increment()
    }

    /// Money spent with a provider, in the configured currency.
    public func cost(provider: String, amount: Double) {
        FloatingPointCounter(label: Name.cost, dimensions: [("provider", provider)], factory: factory).increment(by: max(0, amount))
    }

    /// Live events a slow operator client did not get.
    public func eventsDropped(_ count: Int) {
        Counter(label: Name.eventsDropped, factory: factory).increment(by: max(0, count))
    }

    /// A transfer was not made: its destination was invalid or not allowed. `source` says who
    /// asked (`llm`, `flow`, `bot`, `operator`), `reason` why (`invalid`, `not_allowed`).
    public func transferRefused(source: String, reason: String) {
        Counter(label: Name.transfersRefused, dimensions: [("source", source), ("reason", reason)], factory: factory).increment()
    }

    /// A caller was sent back to the dialplan without being taken: `max_calls`, `no_media_port`,
    /// `shutting_down` or `bot_unavailable`.
    public func callRejected(reason: String) {
        Counter(label: Name.callsRejected, dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A webhook event's fate: `delivered`, `failed` (every attempt, or refused) or `dropped` (queue full).
    public func webhookDelivery(result: String) {
        Counter(label: Name.webhookDeliveries, dimensions: [("result", result)], factory: factory).increment()
    }

    /// A business tool the model called (`TOOLS_FILE`): `ok`, `bad_arguments` (refused before any
    /// request) or `failed`. Tools are few and named in the configuration, so the label stays small.
    public func toolCall(tool: String, result: String) {
        Counter(label: Name.toolCalls, dimensions: [("tool", tool), ("result", result)], factory: factory).increment()
    }

    /// The media clock's health over the last interval: send-time error percentile and maximum,
    /// sends later than 2 ms and slots skipped since the previous report, real-time or not.
    public func pacerHealth(p99: Duration, maximum: Duration, lateSends: Int, skippedSlots: Int, realtime: Bool) {
        Gauge(label: Name.pacerSendErrorP99, factory: factory).record(p99 / .seconds(1))
        Gauge(label: Name.pacerSendErrorMax, factory: factory).record(maximum / .seconds(1))
        Counter(label: Name.pacerLateSends, factory: factory).increment(by: max(0, lateSends))
        Counter(label: Name.pacerSkippedTicks, factory: factory).increment(by: max(0, skippedSlots))
        Gauge(label: Name.pacerRealtime, factory: factory).record(realtime ? 1 : 0)
    }

    /// Callers of another ura instance, found gone, that this one continued in the dialplan.
    public func peerCallersContinued(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: Name.peerCallersContinued, factory: factory).increment(by: count)
    }
}
