import Foundation

/// Everything ura keeps about one call: who, when, how it ended, every turn, RTP quality and cost.
///
/// The same value describes a live call (``endedAt`` and ``outcome`` nil, as the call registry
/// snapshots it) and a finished one (as a ``CallRecordStore`` keeps it), so the operator API shows
/// both the same way.
public struct CallRecord: Codable, Sendable, Equatable, Identifiable {
    /// ura's id of the call (the caller's ARI channel id is in ``channelID``).
    public var id: String
    /// The caller's number (`CALLERID(num)`), when Asterisk knew it.
    public var callerNumber: String?
    /// The caller's ARI channel id.
    public var channelID: String
    /// The brain that answered: `loopback`, `echo`, `flow:<file>`, `llm`.
    public var bot: String
    /// When Asterisk handed the call to ura (inbound) or ura placed it (outbound).
    public var startedAt: Date
    /// When the call was answered; nil if it never was.
    public var answeredAt: Date?
    /// When the call ended; nil while it is up.
    public var endedAt: Date?
    /// Nil while the call is up.
    public var outcome: CallOutcome?
    /// The exchanges, in order.
    public var turns: [Turn]
    /// Inbound RTP quality over the whole call.
    public var rtp: RTPSummary
    /// What the providers charged for the call.
    public var cost: CallCost
    /// State changes and notable moments, in order.
    public var timeline: [TimelineEvent]
    /// The ura instance that carries the call (`URA_INSTANCE` or its app), so instances sharing
    /// a store close only their own lost calls; nil in records of earlier versions.
    public var instance: String?
    /// Where that instance's operator API is (`OPERATOR_ADVERTISE_URL`), for requests only the
    /// owner can carry out (`say`); nil when it did not say.
    public var ownerURL: String?
    /// The call's WAV file (`RECORDING`), once the call has ended; nil when it was not recorded.
    public var recording: CallRecordingFile?

    public init(
        id: String, callerNumber: String?, channelID: String, bot: String, startedAt: Date, answeredAt: Date? = nil,
        endedAt: Date? = nil, outcome: CallOutcome? = nil, turns: [Turn] = [], rtp: RTPSummary = RTPSummary(),
        cost: CallCost = CallCost(), timeline: [TimelineEvent] = [], instance: String? = nil, ownerURL: String? = nil
    ) {
        self.instance = instance
        self.ownerURL = ownerURL
        self.id = id
        self.callerNumber = callerNumber
        self.channelID = channelID
        self.bot = bot
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.turns = turns
        self.rtp = rtp
        self.cost = cost
        self.timeline = timeline
    }

    /// True while the call is up.
    public var isActive: Bool { endedAt == nil }
}

extension CallRecord {
    /// Keys spelled so that JSON's snake_case conversion gives `channel_id` both ways.
    enum CodingKeys: String, CodingKey {
        case id, callerNumber, bot, startedAt, answeredAt, endedAt, outcome, turns, rtp, cost, timeline, instance, recording
        case channelID = "channelId"
        case ownerURL = "ownerUrl"
    }
}

/// Where a call's recording is and what it holds.
public struct CallRecordingFile: Codable, Sendable, Equatable {
    /// The WAV file, on the instance that carried the call.
    public var path: String
    public var durationSeconds: Double
    /// `caller` (one channel) or `both` (two: the caller left, the bot right).
    public var mode: String

    public init(path: String, durationSeconds: Double, mode: String) {
        self.path = path
        self.durationSeconds = durationSeconds
        self.mode = mode
    }
}
