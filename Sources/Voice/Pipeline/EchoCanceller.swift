import CWebRTCEcho
import DequeModule
import Synchronization

/// Takes the bot's own voice, returned by the phone line, out of the caller's audio before the
/// speech detector and the recogniser hear it (WebRTC's acoustic echo canceller).
///
/// A line with 6–10 dB of return loss brings the bot back almost as loud as a caller: no level
/// rule tells the two apart, and the bot would interrupt itself. The canceller learns the echo
/// path from what the bot sent and subtracts its estimate; on a double talk the caller stays.
///
/// It needs the far end (the bot) as it plays: ``botWillPlay(_:at:)`` keeps each frame with the
/// time it is due on the wire (replies queue a few frames ahead), and ``cancel(_:at:)``, called
/// for every caller frame, first feeds the canceller the bot frames due by then, or silence when
/// none was, then cleans the caller frame. The delay left is the line's, which the canceller's
/// estimator follows.
final class EchoCanceller: Sendable {
    private struct State: ~Copyable {
        let handle: OpaquePointer
        var pending: Deque<(due: ContinuousClock.Instant, samples: [Int16])> = []
        var silence: [Int16] = []
        var failures = 0

        deinit { ura_echo_destroy(handle) }
    }

    private let state: Mutex<State>
    /// Samples in 10 ms: the canceller works on whole multiples of it.
    private let chunk: Int

    /// A canceller for audio at `sampleRate`; nil unless it is 8000 or 16000 Hz.
    init?(sampleRate: Int) {
        guard let handle = ura_echo_create(Int32(sampleRate)) else { return nil }
        state = Mutex(State(handle: handle))
        chunk = sampleRate / 100
    }

    /// The bot queued `frame`, due on the wire at `due`.
    func botWillPlay(_ frame: [Int16], at due: ContinuousClock.Instant) {
        state.withLock { state in
            state.pending.append((due, frame))
            // A reply queues a few frames ahead; more than a second's worth means nobody is
            // listening (the call is ending): keep the newest.
            if state.pending.count > 50 { state.pending.removeFirst() }
        }
    }

    /// Nothing queued will play any more (the reply was flushed).
    func reset() {
        state.withLock { $0.pending.removeAll() }
    }

    /// Removes the bot's echo from `frame`, a caller frame heard at `time`, in place. A frame
    /// that is not a whole number of 10 ms is left as it is.
    func cancel(_ frame: inout [Int16], at time: ContinuousClock.Instant) {
        guard !frame.isEmpty, frame.count % chunk == 0 else { return }
        state.withLock { state in
            var fed = false
            while let next = state.pending.first, next.due <= time + Self.slack {
                state.pending.removeFirst()
                feed(next.samples, &state)
                fed = true
            }
            if !fed {
                if state.silence.count != frame.count { state.silence = [Int16](repeating: 0, count: frame.count) }
                feed(state.silence, &state)
            }
            let result = frame.withUnsafeMutableBufferPointer { ura_echo_near(state.handle, $0.baseAddress, $0.count) }
            if result != 0 { state.failures += 1 }
        }
    }

    /// How far ahead of a caller frame a bot frame may be due and still be fed with it. A reply
    /// queues its next frame when one leaves, on the same 20 ms tick that brings the caller's
    /// frame, so due times fall within microseconds of the caller frames' times: without slack,
    /// which side of that line a frame lands on flips from tick to tick, feeding two bot frames
    /// one tick and silence the next, a jump in the echo delay the canceller must learn again
    /// (false barge-ins on a loud line). Half a frame decides the same way every tick.
    static let slack = Duration.milliseconds(10)

    /// Calls the library refused (a frame it could not take); they leave the audio as it was.
    var failures: Int { state.withLock { $0.failures } }

    private func feed(_ samples: [Int16], _ state: inout State) {
        let whole = samples.count - samples.count % chunk
        guard whole > 0 else { return }
        let result = samples.withUnsafeBufferPointer { ura_echo_far(state.handle, $0.baseAddress, whole) }
        if result != 0 { state.failures += 1 }
    }
}
