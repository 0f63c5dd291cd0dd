import Synchronization

/// How many calls an instance carries at once, counted over every Asterisk server it serves:
/// `MAX_CALLS` is one budget for the instance, not one per server.
public final class CallAdmission: Sendable {
    /// Calls at once; nil: no limit.
    public let limit: Int?
    private let taken = Mutex(0)

    public init(limit: Int?) { self.limit = limit }

    /// Calls in progress on every server.
    public var count: Int { taken.withLock { $0 } }

    /// Whether another call would fit now (a claim is only made when it would).
    public var hasRoom: Bool { taken.withLock { taken in limit.map { taken < $0 } ?? true } }

    /// Takes a place for a call, or false when all are taken.
    func take() -> Bool {
        taken.withLock { taken in
            if let limit, taken >= limit { return false }
            taken += 1
            return true
        }
    }

    /// Gives back a place ``take()`` gave.
    func release() { taken.withLock { $0 -= 1 } }
}
