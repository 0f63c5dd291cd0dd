import ARI
import CallRecords
import Calls
import Foundation
import Recording
import Logging
import OperatorAPI
import Providers
import Settings
import Synchronization
import Telemetry
import Voice

/// Keeps every call's record as it happens and tells the world: live operator events, metrics,
/// and the SQLite record.
///
/// The record is in the store from the call's start (active: no end, no outcome) and saved again
/// as each turn ends and when the call ends, so a crash loses at most the turn in progress.
/// Saving never holds up a call: snapshots go to a ``RecordWriter`` that writes them in order per
/// call; a failed save is logged and counted and the call goes on. After a restart, ``reconciled()``
/// closes the records an earlier run left active whose call is gone, as ``CallOutcome/lost``;
/// a caller that run left in the application is taken up under its old call id
/// (``callID(takingUp:)``) and its record goes on.
///
/// It is the ``Calls/CallObserver`` of the call service and, per call, the conversation's
/// observer (``conversationObserver(callID:)``), so one place turns what calls do into records.
public final class CallJournal: CallObserver {
    private struct Records {
        /// The calls this run carries.
        var live: [String: CallRecord] = [:]
        /// Records of an earlier run whose callers reconcile is taking up; moved to `live` when they start.
        var resuming: [String: CallRecord] = [:]
    }

    private let records = Mutex(Records())
    private let meters = Mutex<[String: CostMeter]>([:])
    private let prices: PriceTable
    private let store: (any CallRecordStore)?
    private let writer: RecordWriter?
    private let hub: CallEventHub
    private let metrics: URAMetrics
    private let listeners: [any CallRecordListener]
    private let owner: Owner
    private let logger: Logger

    /// Who carries the calls this journal records, written into each record so instances
    /// sharing a store tell theirs apart.
    public struct Owner: Sendable {
        /// `URA_INSTANCE` (or the app name); nil for a single ura.
        public var instance: String?
        /// This instance's operator API, for forwarded requests.
        public var url: String?

        public init(instance: String?, url: String?) {
            self.instance = instance
            self.url = url
        }
    }

    /// - Parameter listeners: told of each record at its milestones (webhooks).
    public init(
        store: (any CallRecordStore)?, hub: CallEventHub, prices: PriceTable = PriceTable(), metrics: URAMetrics = URAMetrics(),
        listeners: [any CallRecordListener] = [], owner: Owner = Owner(instance: nil, url: nil), logger: Logger
    ) {
        self.listeners = listeners
        self.owner = owner
        self.prices = prices
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.logger = logger
        writer = store.map { store in
            RecordWriter(store: store) { callID, error in
                logger.warning("call record not saved", metadata: ["call_id": "\(callID)", "error": "\(error)"])
                metrics.recordSaveFailed()
            }
        }
    }

    /// Adopts a call's cost meter; its usage is priced into the record when the call ends.
    public func track(_ meter: CostMeter, callID: String) { meters.withLock { $0[callID] = meter } }

    /// Records of the calls in progress.
    public var activeRecords: [CallRecord] { records.withLock { Array($0.live.values) }.sorted { $0.startedAt < $1.startedAt } }

    /// Records of calls that have ended whose last save is not in the store yet.
    public var endedRecordsBeingSaved: [CallRecord] {
        // Under the records' lock: a call leaves `live` and its final snapshot reaches the writer
        // in one step (``change(_:)``), so every call is in one of the two, or stored.
        records.withLock { records in
            (writer?.pending ?? []).filter { !$0.isActive && records.live[$0.id] == nil }
        }
    }

    /// The call's record while it is up, and once it has ended until its last save is in the
    /// store: a reader never sees the stored, older version of a call that has just ended.
    public func record(callID: String) -> CallRecord? { records.withLock { $0.live[callID] } ?? writer?.latest(callID: callID) }

    public func callStarted(_ session: CallSession) {
        let now = Date()
        let callID = session.names.callID
        let started = change { records in
            var record: CallRecord
            if var earlier = records.resuming.removeValue(forKey: callID) {
                earlier.channelID = session.caller.id.rawValue
                earlier.timeline.append(TimelineEvent(at: now, kind: "resumed", detail: "taken up again after ura restarted"))
                record = earlier
            } else {
                record = CallRecord(
                    id: callID, callerNumber: session.caller.caller.number.isEmpty ? nil : session.caller.caller.number,
                    channelID: session.caller.id.rawValue, bot: session.botDescription, startedAt: session.startedAt, answeredAt: now,
                    timeline: [TimelineEvent(at: now, kind: "started")])
            }
            record.instance = owner.instance
            record.ownerURL = owner.url
            records.live[callID] = record
            return record
        }
        metrics.callStarted()
        if let started {
            hub.publish(.callStarted(callID: callID, callerNumber: started.callerNumber, bot: started.bot, at: now))
            tell(started, .started)
        }
    }

    public func callEnded(_ session: CallSession, end: CallEnd) async {
        let now = Date()
        let callID = session.names.callID
        let outcome = CallOutcome(rawValue: end.outcome) ?? .failed
        var rtp: RTPSummary?
        if let statistics = session.status.media?.statistics {
            rtp = RTPSummary(
                received: Int(statistics.received), lost: Int(statistics.lost), late: Int(statistics.late),
                jitterMs: statistics.jitterMilliseconds)
        }
        let cost = meters.withLock { $0.removeValue(forKey: callID) }.map { meter in
            let report = meter.report()
            for (provider, amount) in report.costs where amount > 0 { metrics.cost(provider: provider, amount: amount) }
            return Self.cost(of: report, prices: prices)
        }
        let ended = change { records in
            var record = records.live.removeValue(forKey: callID) ?? CallRecord(
                id: callID, callerNumber: nil, channelID: session.caller.id.rawValue, bot: session.botDescription, startedAt: session.startedAt)
            record.endedAt = now
            record.outcome = outcome
            record.timeline.append(TimelineEvent(at: now, kind: "ended", detail: "\(end)"))
            if let rtp { record.rtp = rtp }
            if let cost { record.cost = cost }
            if let recording = session.status.recording {
                record.recording = CallRecordingFile(
                    path: recording.path, durationSeconds: recording.durationSeconds, mode: recording.mode.rawValue)
            }
            return record
        }
        if let ended { tell(ended, .ended) }
        if let rtp { metrics.rtp(received: rtp.received, lost: rtp.lost, late: rtp.late, jitterSeconds: rtp.jitterMs / 1000) }
        metrics.callEnded(outcome: end.outcome)
        hub.publish(.callEnded(callID: callID, outcome: outcome, at: now))
        await writer?.finish(callID: callID)
    }

    /// The id of the record an earlier run left active for this caller, kept to go on when the
    /// caller's call starts again.
    public func callID(takingUp channel: ChannelID) async -> String? {
        guard let store else { return nil }
        do {
            guard let earlier = try await store.activeRecord(channelID: channel.rawValue) else { return nil }
            return records.withLock { records -> String? in
                guard records.live[earlier.id] == nil else { return nil }
                records.resuming[earlier.id] = earlier
                return earlier.id
            }
        } catch {
            logger.warning("cannot look up the record of a caller taken up again", metadata: ["channel_id": "\(channel)", "error": "\(error)"])
            return nil
        }
    }

    /// Closes, as ``CallOutcome/lost``, the records left active that no call of this run carries.
    public func reconciled() async {
        guard let store else { return }
        let now = Date()
        do {
            let closed = try await store.closeLostRecords(of: owner.instance, at: now) { [self] record in isCarried(record.id) }
            for record in closed {
                logger.warning("call record closed as lost: ura stopped during the call", metadata: [
                    "call_id": "\(record.id)", "started_at": "\(record.startedAt)", "turns": "\(record.turns.count)",
                ])
                metrics.callLost()
                hub.publish(.callEnded(callID: record.id, outcome: .lost, at: now))
                tell(record, .ended)
            }
        } catch {
            logger.warning("cannot close the records of lost calls", metadata: ["error": "\(error)"])
        }
    }

    /// Ends, as ``CallOutcome/lost``, the records of a gone instance's callers that this instance
    /// continued in the dialplan. Only a store the instances share holds them; in another
    /// instance's own SQLite file nothing is found, and that instance closes them when it
    /// starts again.
    public func peerGone(application: String, callers: [ChannelID]) async {
        guard let store else { return }
        let now = Date()
        var closed: [CallRecord] = []
        for channel in callers {
            do {
                guard var record = try await store.activeRecord(channelID: channel.rawValue), !isCarried(record.id) else { continue }
                record.endedAt = now
                record.outcome = .lost
                record.timeline.append(TimelineEvent(
                    at: now, kind: "ended", detail: "lost: its ura instance (\(application)) stopped; the caller was continued in the dialplan"))
                try await store.save(record)
                closed.append(record)
            } catch {
                logger.warning("cannot close the record of a gone instance's call", metadata: [
                    "channel_id": "\(channel)", "error": "\(error)",
                ])
            }
        }
        // Its calls whose callers had already hung up: no one is left to close them.
        do {
            closed += try await store.closeLostRecords(
                of: application, at: now, detail: "lost: its ura instance (\(application)) stopped during the call"
            ) { [self] record in record.instance != application || isCarried(record.id) }
        } catch {
            logger.warning("cannot close the records of a gone instance", metadata: ["instance": "\(application)", "error": "\(error)"])
        }
        for record in closed {
            metrics.callLost()
            hub.publish(.callEnded(callID: record.id, outcome: .lost, at: now))
            tell(record, .ended)
        }
    }

    /// A call this run has: live, being taken up, or with its last save still on the way.
    private func isCarried(_ callID: String) -> Bool {
        records.withLock { $0.live[callID] != nil || $0.resuming[callID] != nil } || writer?.isWriting(callID: callID) == true
    }

    /// Applies `body` to the records and queues the record it returns for saving, in the same
    /// lock, so snapshots reach the writer in the order they were taken.
    @discardableResult
    private func change(_ body: (inout Records) -> CallRecord?) -> CallRecord? {
        records.withLock { records in
            let record = body(&records)
            if let record { writer?.save(record) }
            return record
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

    /// Tells the listeners of a record at a milestone.
    fileprivate func tell(_ record: CallRecord, _ milestone: CallRecordMilestone) {
        for listener in listeners { listener.record(record, reached: milestone) }
    }

    /// Changes a live call's record; saves it when `save`.
    /// - Returns: the record as changed when saved.
    @discardableResult
    fileprivate func update(_ callID: String, save: Bool = false, _ body: (inout CallRecord) -> Void) -> CallRecord? {
        change { records in
            guard var record = records.live[callID] else { return nil }
            body(&record)
            records.live[callID] = record
            return save ? record : nil
        }
    }

    fileprivate func publish(_ event: CallEvent) { hub.publish(event) }
    fileprivate var telemetry: URAMetrics { metrics }
}

/// Turns one conversation's observations into record entries, events and metrics.
private final class TurnRecorder: ConversationObserver {
    private struct Current {
        var turn = 0
        var transcript = ""
        /// The latest partial transcript: all a turn cut before the final one has of the caller's words.
        var partial = ""
        var partials = 0
        var bot = ""
        var interrupted = false
        var falseBargeIn = false
    }

    let callID: String
    let journal: CallJournal
    private let current = Mutex(Current())

    init(callID: String, journal: CallJournal) {
        self.callID = callID
        self.journal = journal
    }

    func transcript(_ text: String, isFinal: Bool) {
        let turn = current.withLock { state in
            if isFinal {
                state.transcript = text
            } else {
                state.partials += 1
                state.partial = text
            }
            return state.turn
        }
        journal.publish(.transcript(callID: callID, turn: turn, text: text, isFinal: isFinal))
    }

    func botSaid(_ text: String, interrupted: Bool) {
        let turn = current.withLock { state in
            if !text.isEmpty { state.bot = state.bot.isEmpty ? text : state.bot + " " + text }
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
            if !accepted {
                state.falseBargeIn = true
                // The backchannel's words were no turn of the caller's.
                state.partial = ""
            }
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
        var entry = current.withLock { state -> Turn in
            defer { state = Current(turn: timings.turn + 1) }
            let cutBeforeFinal = timings.cutBy != nil && state.transcript.isEmpty
            return Turn(
                index: timings.turn, startedAt: Date(), callerTranscript: cutBeforeFinal ? state.partial : state.transcript,
                partialCount: state.partials, botText: state.bot, interrupted: timings.interrupted || state.interrupted || timings.cutBy != nil,
                falseBargeIn: state.falseBargeIn, cutBy: timings.cutBy, latencies: latencies)
        }
        let updated = journal.update(callID, save: true) { record in
            // Positions are unique in the store: a call taken up again after a restart numbers its
            // turns on from the earlier run's.
            if let last = record.turns.last, entry.index <= last.index { entry.index = last.index + 1 }
            record.turns.append(entry)
        }
        if let updated { journal.tell(updated, .turnEnded) }
        journal.publish(.latencies(callID: callID, turn: timings.turn, latencies: latencies))
        let metrics = journal.telemetry
        metrics.turnEnded(timings.cutBy ?? "completed")
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
