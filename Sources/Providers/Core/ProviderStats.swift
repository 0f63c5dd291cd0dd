import Synchronization

/// Counts of provider requests and errors, by provider and kind, for metrics.
///
/// One instance is shared by every provider of the process; it is cheap to update from any
/// thread (a Mutex). Export it with ``snapshot()``.
public final class ProviderStats: Sendable {
    /// One counter's identity.
    public struct Key: Hashable, Sendable, Comparable {
        /// The provider's name (`openai`, `local`, `google`).
        public var provider: String
        /// `request`, `retry`, `fallback`, or an error kind from ``ProviderError/kind``.
        public var kind: String

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.provider, lhs.kind) < (rhs.provider, rhs.kind) }
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    /// Adds one to the counter for `provider` and `kind`.
    public func count(_ provider: String, _ kind: String) {
        counts.withLock { $0[Key(provider: provider, kind: kind), default: 0] += 1 }
    }

    /// Every counter so far.
    public func snapshot() -> [Key: Int] { counts.withLock { $0 } }

    /// One counter's value.
    public func value(_ provider: String, _ kind: String) -> Int {
        counts.withLock { $0[Key(provider: provider, kind: kind)] ?? 0 }
    }
}
