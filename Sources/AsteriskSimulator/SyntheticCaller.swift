import Foundation
import Randomness
import Synchronization

/// A SIP phone on the far side of a simulated PJSIP channel: it speaks a script into the call,
/// records what it hears, presses keys and hangs up.
///
/// Its audio is generated lazily on the simulator's media thread: every tick the phone makes
/// the packets its own clock (ptime × (1 + skew) per packet, from the answer) has produced by
/// then, as its ``PhoneLine`` says (packetisation, timestamp jumps, source changes, silence
/// suppression), applies ``Impairments`` (loss, jitter, reordering, duplicates, line echo) and
/// hands over the packets that have "arrived". What it hears is laid on a timeline at its own
/// sample rate. All state sits behind one lock; switchboard calls happen outside it.
public final class SyntheticCaller: Sendable {
    /// Where a call stands.
    public enum Status: Sendable, Equatable {
        /// Ringing in Stasis (or, for an originated call, being dialled).
        case ringing
        /// Answered; media flows.
        case answered
        /// The app had no socket: `Stasis()` failed and the dialplan hung the call up.
        case failedToDialplan
        /// Over (either side hung up).
        case ended
    }

    /// The calling number (`caller.number`), or for an originated call the dialled endpoint.
    public let number: String
    /// The number dialled (`dialplan.exten`).
    public let dialled: String
    /// The phone's PCM rate, 8000 or 16000.
    public let sampleRate: Int
    /// Whether what the phone hears is kept for ``recording`` (off for hour-long soak calls,
    /// whose recordings would dwarf the memory being measured).
    public let recordsAudio: Bool
    private let impairments: Impairments
    /// How the phone packetises and times its RTP.
    public let line: PhoneLine
    private let switchboard: Switchboard
    private let placedAt = ContinuousClock.now
    private let state: Mutex<State>

    struct State {
        var channelID: String?
        var status: Status = .ringing
        var answeredAt: ContinuousClock.Instant?
        var endedAt: ContinuousClock.Instant?
        var script: [CallerStep]
        var stepIndex = 0
        var stepOffset = 0
        var framesMade = 0
        /// Samples not sent since the last packet that was (suppressed silence).
        var suppressedSamples: Int64 = 0
        var sourceChangeSuppressed = false
        var jumpsMade = 0
        var sourceChangesMade = 0
        /// How much later than its own clock the phone's packets arrive (timestamp jumps' delays).
        var delayAfterJumps = Duration.zero
        var pending: [(arrival: ContinuousClock.Instant, packet: UplinkPacket)] = []
        var heard: [Int16] = []
        var chunks: [CallRecording.Chunk] = []
        var marks: [String: Duration] = [:]
        var dtmfReceived = ""
        var indications: [String] = []
        var transferTarget: String?
        var continuedInDialplan = false
        var statistics = ImpairmentStatistics()
        var dice = SeededRandom(seed: .random(in: .min ... .max))
    }

    private enum Action {
        case dtmf(Character)
        case hangUp
    }

    init(
        number: String, dialled: String, sampleRate: Int, script: [CallerStep], impairments: Impairments,
        line: PhoneLine = PhoneLine(), recordsAudio: Bool = true, switchboard: Switchboard
    ) {
        self.line = line
        self.number = number
        self.recordsAudio = recordsAudio
        self.dialled = dialled
        self.sampleRate = sampleRate == 16000 ? 16000 : 8000
        self.impairments = impairments
        self.switchboard = switchboard
        var initial = State(script: script)
        if let seed = impairments.seed { initial.dice = SeededRandom(seed: seed) }
        state = Mutex(initial)
    }

    /// Samples per 20 ms at the phone's rate (what it hears is laid out in these).
    private var frameSize: Int { sampleRate / 50 }
    /// Samples per packet it sends.
    private var packetSize: Int { line.samplesPerPacket(sampleRate: sampleRate) }

    // MARK: Public view

    /// The PJSIP channel's id; nil only before the simulator created it.
    public var channelID: String? { state.withLock { $0.channelID } }
    /// Where the call stands now.
    public var status: Status { state.withLock { $0.status } }
    /// Digits the app sent to this phone with `POST /channels/{id}/dtmf`.
    public var dtmfReceived: String { state.withLock { $0.dtmfReceived } }
    /// Indications the app sent, in order: `ring`, `unring`, `progress`, `hold`, `unhold`, `mute`, `unmute`.
    public var indications: [String] { state.withLock { $0.indications } }
    /// Where `POST /channels/{id}/redirect` sent the call, if it did.
    public var transferTarget: String? { state.withLock { $0.transferTarget } }
    /// Whether the app let the call go on in the dialplan (`POST /channels/{id}/continue`), where
    /// the simulated dialplan's fallback hangs it up.
    public var wasContinuedInDialplan: Bool { state.withLock { $0.continuedInDialplan } }
    /// What the impairments did to the audio sent so far.
    public var statistics: ImpairmentStatistics { state.withLock { $0.statistics } }
    /// Whether every script step has been played.
    public var scriptFinished: Bool { state.withLock { $0.stepIndex >= $0.script.count } }

    /// What the phone heard so far, padded with silence up to now (or the end of the call).
    public var recording: CallRecording {
        let now = ContinuousClock.now
        return state.withLock { s in
            var samples = s.heard
            let end = offsetSamples((s.endedAt ?? now) - placedAt)
            if samples.count < end { samples += [Int16](repeating: 0, count: end - samples.count) }
            return CallRecording(samples: samples, sampleRate: sampleRate, chunks: s.chunks, marks: s.marks,
                                 answeredAfter: s.answeredAt.map { $0 - placedAt })
        }
    }

    /// Appends steps to the script (they play after what is queued).
    public func enqueue(_ steps: [CallerStep]) {
        state.withLock { $0.script += steps }
    }

    /// Presses keys now.
    public func sendDTMF(_ digits: String) {
        guard let id = channelID, status == .answered else { return }
        for digit in digits { switchboard.phoneSentDTMF(id, digit: digit, durationMilliseconds: 100) }
    }

    /// Hangs up now (a BYE); nothing happens if the call is already over.
    public func hangUp() {
        let id: String? = state.withLock { s in
            guard s.status == .ringing || s.status == .answered else { return nil }
            s.status = .ended
            s.endedAt = .now
            return s.channelID
        }
        if let id { switchboard.phoneHungUp(id, statistics: statistics) }
    }

    /// Waits until the call is over; false on timeout.
    public func waitUntilEnded(timeout: Duration = .seconds(10)) async -> Bool {
        await wait(timeout: timeout) { $0.status == .ended || $0.status == .failedToDialplan }
    }

    /// Waits until every script step has been played; false on timeout.
    public func waitUntilScriptFinished(timeout: Duration = .seconds(30)) async -> Bool {
        await wait(timeout: timeout) { $0.scriptFinished }
    }

    private func wait(timeout: Duration, until condition: (SyntheticCaller) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(self)
    }

    // MARK: Switchboard side

    func attach(channelID: String) { state.withLock { $0.channelID = channelID } }

    func answered() {
        state.withLock { s in
            guard s.status == .ringing else { return }
            s.status = .answered
            s.answeredAt = .now
        }
    }

    func stasisFailed() { state.withLock { $0.status = .failedToDialplan } }

    func remoteEnded() {
        state.withLock { s in
            if s.status == .ringing || s.status == .answered { s.status = .ended }
            if s.endedAt == nil { s.endedAt = .now }
        }
    }

    func heardDTMF(_ digits: String) { state.withLock { $0.dtmfReceived += digits } }

    func indicated(_ indication: String) { state.withLock { $0.indications.append(indication) } }

    func transferred(to target: String) { state.withLock { $0.transferTarget = target } }

    func continuedInDialplan() { state.withLock { $0.continuedInDialplan = true } }

    // MARK: Media thread

    /// Packets that reached the PBX by `now`, in arrival order.
    func uplink(until now: ContinuousClock.Instant) -> [UplinkPacket] {
        var actions: [Action] = []
        let packets: [UplinkPacket] = state.withLock { s in
            guard s.status == .answered, let answeredAt = s.answeredAt else {
                s.pending = []
                return []
            }
            let size = packetSize
            // A skew at or below -100 % would make every packet due at once, forever.
            let skew = min(max(impairments.clockSkew, -0.5), 0.5)
            let interval = Duration.seconds(Double(size) / Double(sampleRate)) * (1 + skew)
            while true {
                // A phone sends a packet once its last sample is spoken.
                let spoken = answeredAt + interval * s.framesMade
                let complete = spoken + interval
                guard complete <= now else { break }
                s.framesMade += 1
                var packet = UplinkPacket(samples: nextScriptSamples(&s, count: size, at: spoken, actions: &actions))
                applyLine(&s, to: &packet, spokenAfter: spoken - answeredAt)
                if impairments.lineEcho { addEcho(s, to: &packet.samples, sentAt: spoken) }
                if let level = impairments.noiseLevel { addNoise(&s, at: level, to: &packet.samples) }
                if line.silenceSuppression && packet.samples.allSatisfy({ $0 == 0 }) {
                    s.suppressedSamples += Int64(packet.samples.count) + packet.timestampSkip
                    s.sourceChangeSuppressed = s.sourceChangeSuppressed || packet.newSource
                    continue
                }
                packet.timestampSkip += s.suppressedSamples
                packet.newSource = packet.newSource || s.sourceChangeSuppressed
                s.suppressedSamples = 0
                s.sourceChangeSuppressed = false
                s.statistics.framesSent += 1
                if Double.random(in: 0..<1, using: &s.dice) < impairments.loss {
                    s.statistics.framesLost += 1
                    continue
                }
                let sent = complete + s.delayAfterJumps
                var delay = impairments.jitter > .zero ? impairments.jitter * Double.random(in: 0...1, using: &s.dice) : .zero
                s.statistics.maximumJitter = max(s.statistics.maximumJitter, delay)
                if Double.random(in: 0..<1, using: &s.dice) < impairments.reordering {
                    delay += interval * 1.5
                    s.statistics.framesReordered += 1
                }
                s.pending.append((sent + delay, packet))
                if Double.random(in: 0..<1, using: &s.dice) < impairments.duplicates {
                    s.statistics.framesDuplicated += 1
                    var copy = packet
                    copy.newSource = false
                    copy.timestampSkip = -Int64(copy.samples.count)
                    s.pending.append((sent + delay + .milliseconds(1), copy))
                }
            }
            s.pending.sort { $0.arrival < $1.arrival }
            let ready = s.pending.prefix { $0.arrival <= now }
            s.pending.removeFirst(ready.count)
            return ready.map(\.packet)
        }
        for action in actions {
            switch action {
            case .dtmf(let digit): if let id = channelID { switchboard.phoneSentDTMF(id, digit: digit, durationMilliseconds: 100) }
            case .hangUp: hangUp()
            }
        }
        return packets
    }

    /// Marks the packet spoken `offset` after the answer with the line's jumps and source changes due by then.
    private func applyLine(_ s: inout State, to packet: inout UplinkPacket, spokenAfter offset: Duration) {
        while s.jumpsMade < line.timestampJumps.count, line.timestampJumps[s.jumpsMade].at <= offset {
            let jump = line.timestampJumps[s.jumpsMade]
            packet.timestampSkip += Int64(jump.by)
            s.delayAfterJumps += jump.delay
            s.jumpsMade += 1
        }
        while s.sourceChangesMade < line.sourceChanges.count, line.sourceChanges[s.sourceChangesMade] <= offset {
            packet.newSource = true
            s.sourceChangesMade += 1
        }
    }

    /// Lays received audio on the timeline; a frame arriving more than 60 ms after the end of
    /// the previous one leaves a gap of silence, closer ones play back to back (a 60 ms jitter buffer).
    func hear(_ samples: [Int16], rate: Int, at arrival: ContinuousClock.Instant) {
        let converted = Resampler.convert(samples, from: rate, to: sampleRate)
        state.withLock { s in
            guard s.status == .answered, recordsAudio else { return }
            let position = offsetSamples(arrival - placedAt)
            if s.heard.count + 3 * frameSize < position {
                s.heard += [Int16](repeating: 0, count: position - frameSize - s.heard.count)
            }
            s.chunks.append(.init(arrival: arrival - placedAt, sampleOffset: s.heard.count, sampleCount: converted.count))
            s.heard += converted
        }
    }

    private func offsetSamples(_ duration: Duration) -> Int {
        Int((Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18) * Double(sampleRate))
    }

    private func nextScriptSamples(_ s: inout State, count frameSize: Int, at sent: ContinuousClock.Instant, actions: inout [Action]) -> [Int16] {
        var frame: [Int16] = []
        frame.reserveCapacity(frameSize)
        while frame.count < frameSize, s.stepIndex < s.script.count {
            switch s.script[s.stepIndex] {
            case .say(let samples):
                let take = min(frameSize - frame.count, samples.count - s.stepOffset)
                frame += samples[s.stepOffset..<s.stepOffset + take]
                s.stepOffset += take
                if s.stepOffset >= samples.count { s.stepIndex += 1; s.stepOffset = 0 }
            case .pause(let duration):
                let total = offsetSamples(duration)
                let take = min(frameSize - frame.count, total - s.stepOffset)
                frame += [Int16](repeating: 0, count: max(0, take))
                s.stepOffset += max(0, take)
                if s.stepOffset >= total { s.stepIndex += 1; s.stepOffset = 0 }
            case .dtmf(let digits):
                actions += digits.map { .dtmf($0) }
                s.stepIndex += 1
            case .mark(let label):
                s.marks[label] = sent - placedAt
                s.stepIndex += 1
            case .hangUp:
                actions.append(.hangUp)
                s.stepIndex += 1
            }
        }
        if frame.count < frameSize { frame += [Int16](repeating: 0, count: frameSize - frame.count) }
        return frame
    }

    /// Uniform white noise whose RMS is `level` dBFS (a uniform variable's RMS is its peak / √3);
    /// louder than full scale is full scale, and a level that is not a number is a clean line
    /// (a random range of NaN or infinity would trap).
    private func addNoise(_ s: inout State, at level: Double, to samples: inout [Int16]) {
        guard level.isFinite else { return }
        let peak = 32767 * pow(10, min(level, 0) / 20) * 3.0.squareRoot()
        for index in samples.indices {
            let noise = Double.random(in: -peak...peak, using: &s.dice)
            samples[index] = Int16(max(-32768, min(32767, Double(samples[index]) + noise)))
        }
    }

    private func addEcho(_ s: State, to samples: inout [Int16], sentAt sent: ContinuousClock.Instant) {
        let start = offsetSamples(sent - placedAt - impairments.echoDelay)
        guard start >= 0 else { return }
        for index in samples.indices where start + index < s.heard.count {
            let mixed = Double(samples[index]) + impairments.echoGain * Double(s.heard[start + index])
            samples[index] = Int16(max(-32768, min(32767, mixed)))
        }
    }
}
