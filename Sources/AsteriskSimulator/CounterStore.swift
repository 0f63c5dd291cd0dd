import Synchronization

/// The shared, locked ``SimulatorCounters`` that every part of the simulator bumps.
final class CounterStore: Sendable {
    private let counters = Mutex(SimulatorCounters())

    func update(_ body: (inout SimulatorCounters) -> Void) { counters.withLock { body(&$0) } }

    var snapshot: SimulatorCounters { counters.withLock { $0 } }
}
