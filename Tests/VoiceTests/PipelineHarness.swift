import Foundation
import Logging
import Synchronization
import Testing
import Voice
import VoiceTesting

/// A stand-in for the call's paced RTP output: one frame leaves per ``tick()``.
final class FakeOutput: ConversationAudioOutput {
    let sampleRate: Int
    private struct State {
        var queue: [(samples: [Int16], source: UInt64, offset: Int64)] = []
        var played: [UInt64: Int64] = [:]
        var started: [UInt64: ContinuousClock.Instant] = [:]
        var sourcesInOrder: [UInt64] = []
        var flushes = 0
        var sentFrames = 0
        var lastFlushAt: ContinuousClock.Instant?
        var roomWaiters: [(limit: Int, id: Int, wake: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0

        /// Takes out the waiters the queue now has room for.
        mutating func waitersWithRoom() -> [CheckedContinuation<Void, Never>] {
            let count = queue.count
            let ready = roomWaiters.filter { count < $0.limit }.map(\.wake)
            roomWaiters.removeAll { count < $0.limit }
            return ready
        }
    }

    private let state = Mutex(State())
    /// Stamps playback starts and flushes: the conversation's clock.
    private let clock: any ConversationClock

    /// How many sources' cursors it remembers (the real stream forgets old ones too).
    private let rememberedSources: Int

    init(sampleRate: Int = 8000, rememberedSources: Int = .max, clock: any ConversationClock) {
        self.sampleRate = sampleRate
        self.rememberedSources = rememberedSources
        self.clock = clock
    }

    func send(_ samples: [Int16], source: UInt64, offset: Int64) -> Bool {
        state.withLock { $0.queue.append((samples, source, offset)) }
        return true
    }

    func flush() -> Int {
        let (count, wake) = state.withLock { state in
            let count = state.queue.count
            state.queue.removeAll()
            state.flushes += 1
            state.lastFlushAt = clock.now
            return (count, state.waitersWithRoom())
        }
        for waiter in wake { waiter.resume() }
        return count
    }

    func playedCursor(for source: UInt64) -> Int64? { state.withLock { $0.played[source] } }
    func playbackStarted(for source: UInt64) -> ContinuousClock.Instant? { state.withLock { $0.started[source] } }

    var queuedFrames: Int { state.withLock { $0.queue.count } }

    /// Woken by the tick or flush that makes room, like the real stream (no polling: a polling
    /// wait would wake every few virtual milliseconds for nothing).
    func waitForRoom(queuedBelow limit: Int) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.queue.count < limit || Task.isCancelled { return true }
                    state.roomWaiters.append((limit, id, wake))
                    return false
                }
                if ready { wake.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.roomWaiters.removeAll { $0.id == id } }
                return state.roomWaiters.first { $0.id == id }?.wake
            }
            waiter?.resume()
        }
    }

    var flushes: Int { state.withLock { $0.flushes } }
    var sentFrames: Int { state.withLock { $0.sentFrames } }
    var lastFlushAt: ContinuousClock.Instant? { state.withLock { $0.lastFlushAt } }

    /// Sends the next frame, if any; returns it.
    func tick() -> [Int16]? {
        let (frame, wake) = state.withLock { state -> ([Int16]?, [CheckedContinuation<Void, Never>]) in
            guard !state.queue.isEmpty else { return (nil, []) }
            let frame = state.queue.removeFirst()
            if state.played[frame.source] == nil {
                state.sourcesInOrder.append(frame.source)
                if state.sourcesInOrder.count > rememberedSources {
                    state.played[state.sourcesInOrder.removeFirst()] = nil
                }
            }
            state.played[frame.source] = frame.offset + Int64(frame.samples.count)
            if state.started[frame.source] == nil { state.started[frame.source] = clock.now }
            state.sentFrames += 1
            return (frame.samples, state.waitersWithRoom())
        }
        for waiter in wake { waiter.resume() }
        return frame
    }
}

/// Records what the pipeline asked of the call, and how much bot audio had left by then.
final class FakeControl: ConversationCallControl {
    private let output: FakeOutput?
    private let actions = Mutex<[(action: CallAction, sentFrames: Int, queuedFrames: Int)]>([])

    init(output: FakeOutput? = nil) { self.output = output }

    var performed: [CallAction] { actions.withLock { $0.map(\.action) } }
    /// For each action: frames sent and frames still queued when it was asked for.
    var outputAtActions: [(sentFrames: Int, queuedFrames: Int)] { actions.withLock { $0.map { ($0.sentFrames, $0.queuedFrames) } } }

    func perform(_ action: CallAction) async {
        let sent = output?.sentFrames ?? 0, queued = output?.queuedFrames ?? 0
        actions.withLock { $0.append((action, sent, queued)) }
    }
}

/// Collects what the observer saw.
final class RecordingObserver: ConversationObserver {
    private let state = Mutex<(turns: [TurnTimings], said: [(String, Bool)], transcripts: [String], bargeIns: [Bool], failures: [FailedReplyResponse])>(([], [], [], [], []))
    var turns: [TurnTimings] { state.withLock { $0.turns } }
    var said: [(text: String, interrupted: Bool)] { state.withLock { $0.said } }
    var bargeIns: [Bool] { state.withLock { $0.bargeIns } }
    var failures: [FailedReplyResponse] { state.withLock { $0.failures } }
    func transcript(_ text: String, isFinal: Bool) { if isFinal { state.withLock { $0.transcripts.append(text) } } }
    func botSaid(_ text: String, interrupted: Bool) { state.withLock { $0.said.append((text, interrupted)) } }
    func stateChanged(_ state: TurnTaking.State) {}
    func turnCompleted(_ timings: TurnTimings) { state.withLock { $0.turns.append(timings) } }
    func bargeIn(accepted: Bool) { state.withLock { $0.bargeIns.append(accepted) } }
    func replyFailed(_ response: FailedReplyResponse) { state.withLock { $0.failures.append(response) } }
}

/// Doubles or halves the rate by repeating or dropping samples: enough for fakes.
struct NaiveConverter: SampleRateConverter {
    let from: Int, to: Int
    func convert(_ samples: [Int16]) -> [Int16] {
        if to == from * 2 { return samples.flatMap { [$0, $0] } }
        if from == to * 2 { return stride(from: 0, to: samples.count, by: 2).map { samples[$0] } }
        return samples
    }
}

/// Runs a pipeline in virtual time: every 20 ms one bot frame leaves and one caller frame enters,
/// and each tick's consequences have all happened before the next (``VirtualTime``).
struct PipelineRun {
    let pipeline: ConversationPipeline
    let output: FakeOutput
    let control: FakeControl
    let observer: RecordingObserver
    let time: VirtualTime

    /// A pipeline on a virtual time of its own (the scripted providers it calls keep it too).
    static func make(
        recognizer: ScriptedRecognizer, brain: any DialogBrain, synthesizer: ScriptedSynthesizer,
        settings: ConversationSettings = ConversationSettings(), rememberedSources: Int = .max, logger: Logger = Logger(label: "test.pipeline")
    ) -> PipelineRun {
        let time = VirtualTime()
        let output = FakeOutput(rememberedSources: rememberedSources, clock: time)
        let control = FakeControl(output: output)
        let observer = RecordingObserver()
        let pipeline = ConversationPipeline(
            recognizer: recognizer, brain: brain, synthesizer: synthesizer, output: output, control: control,
            converters: { NaiveConverter(from: $0, to: $1) }, conversation: Conversation(language: "en-US", callerNumber: "1001"),
            settings: settings, observer: observer, clock: time, executor: time.executor, logger: logger)
        return PipelineRun(pipeline: pipeline, output: output, control: control, observer: observer, time: time)
    }

    /// Plays `callerAudio` (8 kHz) starting at `start` while the call runs for `duration`, and
    /// does each of `events` at its time (a key, an operator's line). Returns the bot frames that
    /// left, with their tick index.
    /// - Parameter endReason: told to the pipeline (``ConversationPipeline/callEnding(_:)``) before
    ///   it is cancelled at the end, as the call does.
    func play(
        callerAudio: [(start: Duration, samples: [Int16])], duration: Duration, endReason: String? = nil,
        events: [(at: Duration, act: @Sendable (ConversationPipeline) -> Void)] = []
    ) async -> [(tick: Int, samples: [Int16])] {
        let pipeline = pipeline
        return await CallClock.drive(
            run: { await pipeline.run() }, inbound: { pipeline.inbound($0) }, callEnding: { pipeline.callEnding($0) },
            output: output, time: time, callerAudio: callerAudio, duration: duration, endReason: endReason,
            events: events.map { event in (event.at, { event.act(pipeline) }) })
    }
}

/// The call's 20 ms clock in virtual time, for any conversation: every tick one bot frame leaves
/// the output and one caller frame enters, then the conversation settles before time moves on.
enum CallClock {
    static func drive(
        run: @escaping @Sendable () async -> Void, inbound: @escaping @Sendable ([Int16]) -> Void, callEnding: @escaping @Sendable (String) -> Void,
        output: FakeOutput, time: VirtualTime, callerAudio: [(start: Duration, samples: [Int16])], duration: Duration, endReason: String?,
        events: [(at: Duration, act: @Sendable () -> Void)] = []
    ) async -> [(tick: Int, samples: [Int16])] {
        let ended = Mutex(false)
        // Not a child task: a conversation that ignores its cancellation must fail the test, not
        // hang it. Started on the stepped executor, so the first settle waits for the greeting.
        let conversation = Task(executorPreference: time.executor) {
            await VirtualTime.$current.withValue(time) { await run() }
            ended.withLock { $0 = true }
        }
        var sent: [(tick: Int, samples: [Int16])] = []
        var pending = events.sorted { $0.at < $1.at }[...]
        let start = time.now
        let ticks = Int(duration / .milliseconds(20))
        for tick in 0..<ticks {
            let tickTime = Duration.milliseconds(20) * tick
            while let event = pending.first, event.at <= tickTime {
                await time.advance(to: start + event.at)
                event.act()
                pending.removeFirst()
            }
            await time.advance(to: start + tickTime)
            if let frame = output.tick() { sent.append((tick, frame)) }
            var frame = [Int16](repeating: 0, count: 160)
            for audio in callerAudio {
                let offset = Int((tickTime - audio.start) / .milliseconds(20)) * 160
                if offset >= 0, offset + 160 <= audio.samples.count { frame = Array(audio.samples[offset..<offset + 160]) }
            }
            inbound(frame)
            await time.settle()
        }
        if let endReason { callEnding(endReason) }
        conversation.cancel()
        // Cancelled, everything it started must stop at once, whatever time does after.
        await time.advance(by: .seconds(10))
        if ended.withLock({ $0 }) {
            await conversation.value
        } else {
            Issue.record("the conversation went on after it was cancelled")
        }
        return sent
    }
}
