import Foundation

/// One exchange of a call: what the caller said and what the bot answered.
public struct Turn: Codable, Sendable, Equatable {
    /// Position in the call, from 0.
    public var index: Int
    /// When the caller started speaking.
    public var startedAt: Date
    /// The recogniser's final transcript of the caller.
    public var callerTranscript: String
    /// How many partial transcripts came before the final one.
    public var partialCount: Int
    /// What the caller actually heard of the bot's answer (cut where a barge-in stopped it).
    public var botText: String
    /// The caller spoke over the bot and the bot stopped.
    public var interrupted: Bool
    /// The interruption was judged a false barge-in (noise, backchannel) and the bot resumed.
    public var falseBargeIn: Bool
    /// What cut the turn short, nil when it ran to its end: `barge_in` (the caller spoke over the
    /// bot), `operator_say`, `bot_hangup`, or the end of the call (`caller_hangup`, `caller_gone`,
    /// `transferred`, `operator_hangup`, `shutdown`, `media_lost`, `failed`). A turn cut by the
    /// call's end keeps the caller's words and, in ``botText``, what they heard before it.
    public var cutBy: String?
    /// How long each stage of the answer took.
    public var latencies: TurnLatencies

    public init(
        index: Int, startedAt: Date, callerTranscript: String, partialCount: Int = 0, botText: String = "",
        interrupted: Bool = false, falseBargeIn: Bool = false, cutBy: String? = nil, latencies: TurnLatencies = TurnLatencies()
    ) {
        self.index = index
        self.startedAt = startedAt
        self.callerTranscript = callerTranscript
        self.partialCount = partialCount
        self.botText = botText
        self.interrupted = interrupted
        self.falseBargeIn = falseBargeIn
        self.cutBy = cutBy
        self.latencies = latencies
    }
}
