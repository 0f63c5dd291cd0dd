import Synchronization

extension Atomic where Value == UInt64 {
    /// Adds one; the counters need no ordering with other memory.
    func increment(by amount: UInt64 = 1) {
        _ = add(amount, ordering: .relaxed)
    }
}
