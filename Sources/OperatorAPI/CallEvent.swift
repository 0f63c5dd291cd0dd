import CallRecords
import Foundation

/// Something that just happened on a live call, as operators watch it over Server-Sent Events.
///
/// `Calls` publishes these to a ``CallEventHub`` as the call goes; the API forwards each as one
/// SSE message whose `event:` is ``name`` and whose `data:` is the JSON of the case (snake_case
/// keys, always with `call_id`).
public enum CallEvent: Sendable, Equatable {
    /// A call was taken (inbound) or placed (outbound).
    case callStarted(callID: String, callerNumber: String?, bot: String, at: Date)
    /// The call moved to a new state (`answered`, `listening`, `thinking`, `speaking`, `transferring`, …).
    case stateChanged(callID: String, state: String, at: Date)
    /// The recogniser's text for the caller's current turn; `isFinal` once the turn's text is settled.
    case transcript(callID: String, turn: Int, text: String, isFinal: Bool)
    /// What the bot is saying in this turn (as it is sent to synthesis).
    case botSpeech(callID: String, turn: Int, text: String)
    /// The caller spoke over the bot; `isFalse` when it was judged noise and the bot went on.
    case bargeIn(callID: String, turn: Int, isFalse: Bool, stopLatencyMs: Int?)
    /// A turn's stage latencies, sent when the turn's first answer audio went out.
    case latencies(callID: String, turn: Int, latencies: TurnLatencies)
    /// The call is over; the last event of its stream.
    case callEnded(callID: String, outcome: CallOutcome, at: Date)

    /// The call this event belongs to.
    public var callID: String {
        switch self {
        case .callStarted(let id, _, _, _), .stateChanged(let id, _, _), .transcript(let id, _, _, _), .botSpeech(let id, _, _),
            .bargeIn(let id, _, _, _), .latencies(let id, _, _), .callEnded(let id, _, _):
            id
        }
    }

    /// The SSE event name: a stable word clients switch on.
    public var name: String {
        switch self {
        case .callStarted: "call_started"
        case .stateChanged: "state_changed"
        case .transcript(_, _, _, let isFinal): isFinal ? "transcript_final" : "transcript_partial"
        case .botSpeech: "bot_speech"
        case .bargeIn: "barge_in"
        case .latencies: "latencies"
        case .callEnded: "call_ended"
        }
    }
}

extension CallEvent: Encodable {
    private enum CodingKeys: String, CodingKey {
        case callID = "callId"
        case callerNumber, bot, at, state, turn, text, isFalse, stopLatencyMs, latencies, outcome
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(callID, forKey: .callID)
        switch self {
        case .callStarted(_, let callerNumber, let bot, let at):
            try container.encode(callerNumber, forKey: .callerNumber)
            try container.encode(bot, forKey: .bot)
            try container.encode(at, forKey: .at)
        case .stateChanged(_, let state, let at):
            try container.encode(state, forKey: .state)
            try container.encode(at, forKey: .at)
        case .transcript(_, let turn, let text, _), .botSpeech(_, let turn, let text):
            try container.encode(turn, forKey: .turn)
            try container.encode(text, forKey: .text)
        case .bargeIn(_, let turn, let isFalse, let stopLatencyMs):
            try container.encode(turn, forKey: .turn)
            try container.encode(isFalse, forKey: .isFalse)
            try container.encode(stopLatencyMs, forKey: .stopLatencyMs)
        case .latencies(_, let turn, let latencies):
            try container.encode(turn, forKey: .turn)
            try container.encode(latencies, forKey: .latencies)
        case .callEnded(_, let outcome, let at):
            try container.encode(outcome, forKey: .outcome)
            try container.encode(at, forKey: .at)
        }
    }
}
