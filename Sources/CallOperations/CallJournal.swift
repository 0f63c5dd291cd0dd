import CallRecords
import Calls
import Foundation
import Logging
import OperatorAPI
import Providers
import Settings
import Synchronization
import Telemetry
import Voice

/// Keeps every call's record as it happens and tells the world: live operator events, metrics,
/// and the SQLite record when the call ends.
///
/// It is the ``Calls/CallObserver`` of the call service and, per call, the conversation's
/// observer (``conversationObserver(callID:)``), so one place turns what calls do into records.
public final class CallJournal: CallObserver {
    private let live = Mutex<[String: CallRecord]>([:])
    private let meters = Mutex<[String: CostMeter]>([:])
    private let prices: PriceTable
    private let store: CallRecordStore?
    private let hub: CallEventHub
    private let metrics: URAMetrics
    private let logger: Logger

    public init(store: CallRecordStore?, hub: CallEventHub, prices: PriceTable = PriceTable(), metrics: URAMetrics = URAMetrics(), logger: Logger) {
        self.prices = prices
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.logger = logger
    }

    /// Records of the calls in progress.
    /// Adopts a call's cost meter; its usage is priced into the record when the call ends.
    public func track(_ meter: CostMeter, callID: String) { meters.withLock { $0[callID] = meter } }

    public var activeRecords: [CallRecord] { live.withLock { Array($0.values) }.sorted { $0.startedAt < $1.startedAt } }

    public func record(callID: String) -> CallRecord? { live.withLock { $0[callID] } }

    public func callStarted(_ session: CallSession) {
        let now = Date()
        let record = CallRecord(
            id: session.names.callID, callerNumber: session.caller.caller.number.isEmpty ? nil : session.caller.caller.number,
            channelID: session.caller.id.rawValue, bot: session.botDescription, startedAt: session.startedAt, answeredAt: now,
            timeline: [TimelineEvent(at: now, kind: "started")])
        live.withLock { $0[record.id] = record }
        metrics.callStarted()
        hub.publish(.callStarted(callID: record.id, callerNumber: record.callerNumber, bot: record.bot, at: now))
    }

    public func callEnded(_ session: CallSession, end: CallEnd) async {
        let now = Date()
        let callID = session.names.callID
        var record = live.withLock { $0.removeValue(forKey: callID) } ?? CallRecord(
            id: callID, callerNumber: nil, channelID: session.caller.id.rawValue, bot: session.botDescription, startedAt: session.startedAt)
        record.endedAt = now
        let outcome = CallOutcome(rawValue: end.outcome) ?? .failed
        record.outcome = outcome
        record.timeline.append(TimelineEvent(at: now, kind: "ended", detail: "\(end)"))
        if let statistics = session.status.media?.statistics {
            record.rtp = RTPSummary(
                received: Int(statistics.received), lost: Int(statistics.lost), late: Int(statistics.late),
                jitterMs: statistics.jitterMilliseconds)
            metrics.rtp(received: record.rtp.received, lost: record.rtp.lost, late: record.rtp.late, jitterMilliseconds: record.rtp.jitterMs)
        }
        if let meter = meters.withLock({ $0.removeValue(forKey: callID) }) {
            record.cost = Self.cost(of: meter.report(), prices: prices)
            for (provider, amount) in meter.report().costs where amount > 0 { metrics.cost(provider: provider, amount: amount) }
        }
        metrics.callEnded(outcome: end.outcome)
        hub.publish(.callEnded(callID: callID, outcome: outcome, at: now))
        guard let store else { return }
        do {
            try await store.save(record)
        } catch {
            logger.warning("call record not saved", metadata: ["call_id": "\(callID)", "error": "\(error)"])
        }
    }

    /// Usage lines priced at the configured rates, one per kind of use per provider.
    static func cost(of report: CostMeter.Report, prices: PriceTable) -> CallCost {
        var lines: [CallCost.Line] = []
        for (provider, used) in report.usage.sorted(by: { $0.key < $1.key }) {
            let rates = prices.rates(for: provider)
            func add(_ item: String, _ quantity: Double, _ unit: String, _ amount: Double) {
                if quantity > 0 { lines.append(.init(provider: provider, item: item, quantity: quantity, unit: unit, amount: amount)) }
            }
            add("prompt", Double(used.promptTokens), "tokens", Double(used.promptTokens) * rates.promptPerMillionTokens / 1e6)
            add("completion", Double(used.completionTokens), "tokens", Double(used.completionTokens) * rates.completionPerMillionTokens / 1e6)
            add("transcription", used.audioSeconds, "seconds", used.audioSeconds / 60 * rates.transcriptionPerMinute)
            add("synthesis", Double(used.characters), "characters", Double(used.characters) * rates.synthesisPerMillionCharacters / 1e6)
        }
        return CallCost(lines: lines)
    }

    /// The conversation observer of one call: transcripts, bot speech, turns and barge-ins go
    /// into its record, the live event stream and the latency histograms.
    public func conversationObserver(callID: String) -> any ConversationObserver {
        TurnRecorder(callID: callID, journal: self)
    }

    fileprivate func update(_ callID: String, _ change: (inout CallRecord) -> Void) {
        live.withLock { records in
            if var record = records[callID] {
                change(&record)
                records[callID] = record
            }
        }
    }

    fileprivate func publish(_ event: CallEvent) { hub.publish(event) }
    fileprivate var telemetry: URAMetrics { metrics }
}

/// Turns one conversation's observations into record entries, events and metrics.
private final class TurnRecorder: ConversationObserver {
    let callID: String
    let journal: CallJournal
    private let current = Mutex<(turn: Int, transcript: String, partials: Int, bot: String, interrupted: Bool, falseBargeIn: Bool)>((0, "", 0, "", false, false))

    init(callID: String, journal: CallJournal) {
        self.callID = callID
        self.journal = journal
    }

    func transcript(_ text: String, isFinal: Bool) {
        let turn = current.withLock { state in
            if isFinal { state.transcript = text } else { state.partials += 1 }
            return state.turn
        }
        journal.publish(.transcript(callID: callID, turn: turn, text: text, isFinal: isFinal))
    }

    func botSaid(_ text: String, interrupted: Bool) {
        let turn = current.withLock { state in
            state.bot = state.bot.isEmpty ? text : state.bot + " " + text
            state.interrupted = state.interrupted || interrupted
            return state.turn
        }
        journal.publish(.botSpeech(callID: callID, turn: turn, text: text))
    }

    func stateChanged(_ state: TurnTaking.State) {
        journal.publish(.stateChanged(callID: callID, state: "\(state)", at: Date()))
    }

    func bargeIn(accepted: Bool) {
        let turn = current.withLock { state in
            if !accepted { state.falseBargeIn = true }
            return state.turn
        }
        journal.publish(.bargeIn(callID: callID, turn: turn, isFalse: !accepted, stopLatencyMs: nil))
        journal.telemetry.bargeIn(false: !accepted, stopLatency: nil)
    }

    func turnCompleted(_ timings: TurnTimings) {
        let latencies = TurnLatencies(
            recognizerFinalMs: Self.ms(timings.recognizerFinal), firstBrainTokenMs: Self.ms(timings.firstBrainToken),
            firstSynthesizedAudioMs: Self.ms(timings.firstSynthesizedAudio), firstRTPPacketMs: Self.ms(timings.firstPacket),
            bargeInStopMs: Self.ms(timings.bargeInStop))
        let entry = current.withLock { state -> Turn in
            defer { state = (timings.turn + 1, "", 0, "", false, false) }
            return Turn(
                index: timings.turn, startedAt: Date(), callerTranscript: state.transcript, partialCount: state.partials,
                botText: state.bot, interrupted: timings.interrupted || state.interrupted, falseBargeIn: state.falseBargeIn,
                latencies: latencies)
        }
        journal.update(callID) { $0.turns.append(entry) }
        journal.publish(.latencies(callID: callID, turn: timings.turn, latencies: latencies))
        let metrics = journal.telemetry
        if let value = timings.recognizerFinal { metrics.turnStage(.recognizerFinal, latency: value) }
        if let value = timings.firstBrainToken { metrics.turnStage(.firstBrainToken, latency: value) }
        if let value = timings.firstSynthesizedAudio { metrics.turnStage(.firstSynthesizedAudio, latency: value) }
        if let value = timings.firstPacket { metrics.turnStage(.firstRTPPacket, latency: value) }
        if timings.interrupted { metrics.bargeIn(false: false, stopLatency: timings.bargeInStop) }
    }

    func replyFailed(_ response: FailedReplyResponse) {
        journal.telemetry.replyFailed(response: response.rawValue)
    }

    static func ms(_ duration: Duration?) -> Int? { duration.map { Int($0 / .milliseconds(1)) } }
}
