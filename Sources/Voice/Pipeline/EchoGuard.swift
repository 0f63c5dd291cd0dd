import Synchronization

/// Tells the bot's own voice, echoed back by the phone line, from the caller's.
///
/// A line returns what the bot says some tens of milliseconds later and 10–30 dB quieter; the
/// speech detector cannot tell that from a quiet caller, and a bot that interrupts itself on its
/// own echo is unusable. While the bot has spoken recently, a caller frame counts as speech only
/// when it is louder than the loudest recent bot frame minus ``margin`` — real double talk is,
/// echo is not. The reply side records each frame's level as it queues it; the listening side
/// asks before running the detector. With a ``EchoCanceller`` it also feeds the canceller the
/// bot's frames and cleans the caller's before the detector hears them: the level rule alone
/// fails on lines whose echo comes back less than ``margin`` below the bot.
final class EchoGuard: Sendable {
    /// How far below the bot's level (dB) a frame is taken for echo.
    let margin: Double
    /// How long the line may take to bring the echo back.
    let tail: Duration
    private let recent = Mutex<[(at: ContinuousClock.Instant, level: Double)]>([])
    let canceller: EchoCanceller?

    init(margin: Double = 12, tail: Duration = .milliseconds(400), canceller: EchoCanceller? = nil) {
        self.margin = margin
        self.tail = tail
        self.canceller = canceller
    }

    /// The bot sent `frame` (called when it leaves for the wire, or is queued just before).
    func botSent(_ frame: [Int16], at time: ContinuousClock.Instant) {
        canceller?.botWillPlay(frame, at: time)
        let level = Loudness.dBFS(frame)
        recent.withLock { recent in
            recent.append((time, level))
            let horizon = time - tail - .milliseconds(200)
            if let keep = recent.firstIndex(where: { $0.at >= horizon }), keep > 0 { recent.removeFirst(keep) }
        }
    }

    /// Whether a caller frame of loudness `level` (dBFS) heard now may be the bot's echo.
    func isProbablyEcho(level: Double, at time: ContinuousClock.Instant) -> Bool {
        let botLevel = recent.withLock { recent in
            var loudest = -Double.infinity
            for entry in recent where entry.at <= time && time - entry.at <= tail { loudest = max(loudest, entry.level) }
            return loudest
        }
        return botLevel > -60 && level < botLevel - margin
    }

    /// What the canceller found in a frame.
    enum Cancellation {
        /// It explained the frame by the bot's voice: echo, nothing of the caller.
        case echo
        /// It took the bot's voice out of a frame that also holds something else.
        case mixed
        /// It left the frame alone: no echo in it.
        case none
    }

    /// Reads what the canceller did to a frame of loudness `level` (dBFS) from what it left,
    /// `remaining`: echo alone is reduced 30–40 dB once it has converged (15 dB is taken as
    /// enough), a caller talking over the bot by 8–16 dB, a frame without echo hardly at all.
    static func cancellation(level: Double, remaining: Double) -> Cancellation {
        guard level > -60 else { return .none }
        if remaining < level - 15 { return .echo }
        if remaining < level - 6 { return .mixed }
        return .none
    }

    /// Removes the bot's echo from a caller frame heard at `time`, when there is a canceller.
    func cancelEcho(in frame: inout [Int16], at time: ContinuousClock.Instant) {
        canceller?.cancel(&frame, at: time)
    }

    /// The queued bot audio was flushed: what had not left will not play (nor echo).
    func queueFlushed() { canceller?.reset() }

    /// Forgets the bot's recent audio (after a flush, nothing more will echo than already left).
    func reset() {
        recent.withLock { $0.removeAll() }
        canceller?.reset()
    }
}
