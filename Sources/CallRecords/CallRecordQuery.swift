import Foundation

/// Which stored calls a list wants: all filters are optional and combine with AND.
public struct CallRecordQuery: Sendable, Equatable {
    /// Calls that started at or after this time.
    public var from: Date?
    /// Calls that started before this time.
    public var to: Date?
    /// Calls that ended this way (active calls have no outcome).
    public var outcome: CallOutcome?
    /// Exact caller number.
    public var callerNumber: String?
    /// At most this many, newest first.
    public var limit: Int
    /// Only calls still marked active (no end yet): in a shared store, those the fleet carries now.
    public var activeOnly = false
    /// Only calls another instance than this one (named) carries: records without an instance
    /// (written before instances were named) are left out too.
    public var otherThanInstance: String?

    public init(from: Date? = nil, to: Date? = nil, outcome: CallOutcome? = nil, callerNumber: String? = nil, limit: Int = 50) {
        self.from = from
        self.to = to
        self.outcome = outcome
        self.callerNumber = callerNumber
        self.limit = limit
    }
}
