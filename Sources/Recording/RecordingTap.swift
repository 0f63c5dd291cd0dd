import Synchronization

/// Where a call's media hands its audio to a recording, on the media clock thread: the caller's
/// frame each tick, and each payload sent to Asterisk. Only copies under a lock: decoding and
/// writing happen on the recorder's own task, so a recording never delays the call's audio.
///
/// Holds at most ``capacity`` ticks; when the writer falls that far behind, further audio is
/// dropped and counted rather than held.
public final class RecordingTap: Sendable {
    /// One 20 ms tick: what the caller said, and what was sent to them during it.
    struct Tick {
        var caller: [Int16]
        var sent: [[UInt8]] = []
    }

    private struct State {
        var ticks: [Tick] = []
        var dropped = 0
        var closed = false
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 500) { self.capacity = capacity }

    /// The caller's decoded frame of this tick.
    public func caller(_ samples: [Int16]) {
        state.withLock { state in
            guard !state.closed else { return }
            guard state.ticks.count < capacity else { return state.dropped += 1 }
            state.ticks.append(Tick(caller: samples))
        }
    }

    /// A payload handed to the socket, heard by the caller during the current tick.
    public func sent(_ payload: [UInt8]) {
        state.withLock { state in
            guard !state.closed, !state.ticks.isEmpty else { return }
            state.ticks[state.ticks.count - 1].sent.append(payload)
        }
    }

    /// Takes the ticks that are complete: all but the current one, or all once `final`.
    func take(final: Bool) -> (ticks: [Tick], dropped: Int) {
        state.withLock { state in
            if final { state.closed = true }
            let keep = final ? 0 : min(1, state.ticks.count)
            let taken = Array(state.ticks.dropLast(keep))
            state.ticks.removeFirst(taken.count)
            defer { state.dropped = 0 }
            return (taken, state.dropped)
        }
    }
}

/// The tap a call's media hands audio to, set when recording starts: the media closures hold
/// the slot from the call's start, the recording may begin later (after a consent notice).
public final class RecordingSlot: Sendable {
    private let tap = Mutex<RecordingTap?>(nil)
    /// Read first on every tick, so an unrecorded call (most of them) never takes the lock the
    /// clock thread would otherwise share with the call's task.
    private let filled = Atomic<Bool>(false)

    public init() {}

    public var current: RecordingTap? {
        guard filled.load(ordering: .acquiring) else { return nil }
        return tap.withLock { $0 }
    }

    public func fill(with tap: RecordingTap) {
        self.tap.withLock { $0 = tap }
        filled.store(true, ordering: .releasing)
    }
}
