/// A point in a call's life at which its record is worth telling others about.
public enum CallRecordMilestone: String, Sendable, CaseIterable {
    /// The call was taken; the record has no turns yet.
    case started
    /// A turn ended; it is the record's last.
    case turnEnded
    /// The call is over (including calls found lost); the record is final.
    case ended
}

/// Hears each call record as it reaches a milestone (webhooks).
///
/// Called while the call goes on, from its own task or the journal's lock: return at once and do
/// any slow work (a network request) elsewhere.
public protocol CallRecordListener: Sendable {
    func record(_ record: CallRecord, reached milestone: CallRecordMilestone)
}
