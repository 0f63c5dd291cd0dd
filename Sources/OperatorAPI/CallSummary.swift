import CallRecords
import Foundation

/// One line of `GET /v1/calls`: enough to pick a call, without its turns.
public struct CallSummary: Codable, Sendable, Equatable {
    public var id: String
    /// `active` or `ended`.
    public var state: String
    public var callerNumber: String?
    public var bot: String
    public var startedAt: Date
    public var endedAt: Date?
    public var outcome: CallOutcome?
    public var turnCount: Int
    public var costTotal: Double
    /// The instance (its ARI_APP) that carries or carried the call; nil in records of versions that wrote none.
    public var instance: String?

    public init(_ record: CallRecord) {
        id = record.id
        state = record.isActive ? "active" : "ended"
        callerNumber = record.callerNumber
        bot = record.bot
        startedAt = record.startedAt
        endedAt = record.endedAt
        outcome = record.outcome
        turnCount = record.turns.count
        costTotal = record.cost.total
        instance = record.instance
    }
}

/// The body of `GET /v1/calls`.
public struct CallList: Codable, Sendable, Equatable {
    public var calls: [CallSummary]

    public init(calls: [CallSummary]) { self.calls = calls }
}

/// The body of `GET /v1/calls/{id}`: the full record, and whether the call is still up.
public struct CallDetail: Codable, Sendable, Equatable {
    /// `active` or `ended`.
    public var state: String
    public var call: CallRecord

    public init(_ record: CallRecord) {
        state = record.isActive ? "active" : "ended"
        call = record
    }
}

/// The body of the 202 answers to hang-up, say and transfer, and of the 201 answer to originate.
public struct CallActionResult: Codable, Sendable, Equatable {
    public var id: String
    /// What was started: `hanging_up`, `speaking`, `queued`, `transferring`, `originating`.
    public var status: String

    public init(id: String, status: String) {
        self.id = id
        self.status = status
    }
}
