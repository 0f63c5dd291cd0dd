import Foundation

/// One moment in a call's life: a state change or a notable event, with its time.
public struct TimelineEvent: Codable, Sendable, Equatable {
    /// When it happened.
    public var at: Date
    /// A short stable word: `ringing`, `answered`, `listening`, `thinking`, `speaking`, `barge_in`, `transfer`, `ended`, …
    public var kind: String
    /// Free text for a human, if any.
    public var detail: String?

    public init(at: Date, kind: String, detail: String? = nil) {
        self.at = at
        self.kind = kind
        self.detail = detail
    }
}
