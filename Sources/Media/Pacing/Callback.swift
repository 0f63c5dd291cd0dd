/// A closure held in a `Mutex`, wrapped in a struct.
///
/// A `Mutex` whose value is itself a function type (`Mutex<((T) -> Void)?>`) re-wraps the
/// closure in two more reabstraction thunks on every `withLock { $0 }` (the inout write-back
/// converts it to the generic representation and back): a per-tick callback became slower every
/// tick and overflowed the clock thread's stack within the hour. As a struct field the closure
/// keeps its one representation.
struct Callback<Argument>: Sendable {
    let run: @Sendable (Argument) -> Void
}
