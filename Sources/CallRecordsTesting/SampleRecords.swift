import CallRecords
import Foundation

/// Records with every field filled, at times SQLite's millisecond text keeps exactly.
///
/// Shared by the store's tests and the operator API's, so both speak about the same calls.
public enum SampleRecords {
    /// The start of the call made by `call(id:caller:startedAfter:outcome:)` with no offset.
    public static let base = Date(timeIntervalSince1970: 1_790_000_000)

    /// A call with two turns (the second barged in on), RTP counts, cost lines and a timeline.
    ///
    /// - Parameters:
    ///   - id: the call's ID; the channel ID is derived from it.
    ///   - caller: the caller's number, or nil for a withheld one.
    ///   - seconds: how long after `base` the call started.
    ///   - outcome: how it ended, or nil for a call still running (then it has no end time).
    public static func call(
        id: String, caller: String? = "+5511999990000", startedAfter seconds: Double = 0, outcome: CallOutcome? = .completed
    ) -> CallRecord {
        let start = base.addingTimeInterval(seconds)
        return CallRecord(
            id: id, callerNumber: caller, channelID: "chan-\(id)", bot: "flow:flows/clinica.yaml", startedAt: start,
            answeredAt: start.addingTimeInterval(0.5), endedAt: outcome == nil ? nil : start.addingTimeInterval(42.25), outcome: outcome,
            turns: [
                Turn(
                    index: 0, startedAt: start.addingTimeInterval(2), callerTranscript: "quero marcar uma consulta", partialCount: 4,
                    botText: "Claro, para que dia?",
                    latencies: TurnLatencies(recognizerFinalMs: 180, firstBrainTokenMs: 420, firstSynthesizedAudioMs: 610, firstRTPPacketMs: 640)),
                Turn(
                    index: 1, startedAt: start.addingTimeInterval(9), callerTranscript: "amanhã", partialCount: 1, botText: "Amanhã às",
                    interrupted: true, falseBargeIn: false, cutBy: "barge_in",
                    latencies: TurnLatencies(recognizerFinalMs: 150, bargeInStopMs: 35)),
            ],
            rtp: RTPSummary(received: 2100, lost: 3, late: 1, jitterMs: 2.5),
            cost: CallCost(lines: [
                .init(provider: "deepgram", item: "stt_audio", quantity: 40, unit: "seconds", amount: 0.0029),
                .init(provider: "openai", item: "llm_input_tokens", quantity: 1200, unit: "tokens", amount: 0.0006),
            ]),
            timeline: [
                TimelineEvent(at: start, kind: "ringing"),
                TimelineEvent(at: start.addingTimeInterval(0.5), kind: "answered"),
                TimelineEvent(at: start.addingTimeInterval(9.5), kind: "barge_in", detail: "turn 1"),
            ])
    }
}
