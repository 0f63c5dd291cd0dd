import Foundation
import Logging
import Synchronization
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
    }

    private let state = Mutex(State())

    /// How many sources' cursors it remembers (the real stream forgets old ones too).
    private let rememberedSources: Int

    init(sampleRate: Int = 8000, rememberedSources: Int = .max) {
        self.sampleRate = sampleRate
        self.rememberedSources = rememberedSources
    }

    func send(_ samples: [Int16], source: UInt64, offset: Int64) -> Bool {
        state.withLock { $0.queue.append((samples, source, offset)) }
        return true
    }

    func flush() -> Int {
        state.withLock { state in
            defer { state.queue.removeAll(); state.flushes += 1; state.lastFlushAt = .now }
            return state.queue.count
        }
    }

    func playedCursor(for source: UInt64) -> Int64? { state.withLock { $0.played[source] } }
    func playbackStarted(for source: UInt64) -> ContinuousClock.Instant? { state.withLock { $0.started[source] } }

    var queuedFrames: Int { state.withLock { $0.queue.count } }
    func waitForRoom(queuedBelow limit: Int) async {
        while queuedFrames >= limit, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
    }
    var flushes: Int { state.withLock { $0.flushes } }
    var sentFrames: Int { state.withLock { $0.sentFrames } }
    var lastFlushAt: ContinuousClock.Instant? { state.withLock { $0.lastFlushAt } }

    /// Sends the next frame, if any; returns it.
    func tick() -> [Int16]? {
        state.withLock { state in
            guard !state.queue.isEmpty else { return nil }
            let frame = state.queue.removeFirst()
            if state.played[frame.source] == nil {
                state.sourcesInOrder.append(frame.source)
                if state.sourcesInOrder.count > rememberedSources {
                    state.played[state.sourcesInOrder.removeFirst()] = nil
                }
            }
            state.played[frame.source] = frame.offset + Int64(frame.samples.count)
            if state.started[frame.source] == nil { state.started[frame.source] = .now }
            state.sentFrames += 1
            return frame.samples
        }
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

/// Runs a pipeline in real time: every 20 ms one bot frame leaves and one caller frame enters.
struct PipelineRun {
    let pipeline: ConversationPipeline
    let output: FakeOutput
    let control: FakeControl
    let observer: RecordingObserver

    static func make(
        recognizer: ScriptedRecognizer, brain: any DialogBrain, synthesizer: ScriptedSynthesizer,
        settings: ConversationSettings = ConversationSettings(), output: FakeOutput = FakeOutput(),
        logger: Logger = Logger(label: "test.pipeline")
    ) -> PipelineRun {
        let control = FakeControl(output: output)
        let observer = RecordingObserver()
        let pipeline = ConversationPipeline(
            recognizer: recognizer, brain: brain, synthesizer: synthesizer, output: output, control: control,
            converters: { NaiveConverter(from: $0, to: $1) }, conversation: Conversation(language: "en-US", callerNumber: "1001"),
            settings: settings, observer: observer, logger: logger)
        return PipelineRun(pipeline: pipeline, output: output, control: control, observer: observer)
    }

    /// Plays `callerAudio` (8 kHz) starting at `start` while the call runs for `duration`.
    /// Returns the bot frames that left, with their tick index.
    /// - Parameter endReason: told to the pipeline (``ConversationPipeline/callEnding(_:)``) before
    ///   it is cancelled at the end, as the call does.
    func play(
        callerAudio: [(start: Duration, samples: [Int16])], duration: Duration, endReason: String? = nil
    ) async -> [(tick: Int, samples: [Int16])] {
        await CallClock.drive(
            run: { await pipeline.run() }, inbound: { pipeline.inbound($0) }, callEnding: { pipeline.callEnding($0) },
            output: output, callerAudio: callerAudio, duration: duration, endReason: endReason)
    }
}

/// The call's 20 ms clock in real time, for any conversation: every tick one bot frame leaves the
/// output and one caller frame enters.
enum CallClock {
    static func drive(
        run: @escaping @Sendable () async -> Void, inbound: @escaping @Sendable ([Int16]) -> Void, callEnding: @escaping @Sendable (String) -> Void,
        output: FakeOutput, callerAudio: [(start: Duration, samples: [Int16])], duration: Duration, endReason: String?
    ) async -> [(tick: Int, samples: [Int16])] {
        await withTaskGroup(of: [(tick: Int, samples: [Int16])].self) { group in
            group.addTask { await run(); return [] }
            group.addTask {
                var sent: [(Int, [Int16])] = []
                let ticks = Int(duration / .milliseconds(20))
                let clock = ContinuousClock()
                let start = clock.now
                for tick in 0..<ticks {
                    try? await clock.sleep(until: start + .milliseconds(20) * tick)
                    if let frame = output.tick() { sent.append((tick, frame)) }
                    let time = Duration.milliseconds(20) * tick
                    var frame = [Int16](repeating: 0, count: 160)
                    for audio in callerAudio {
                        let offset = Int((time - audio.start) / .milliseconds(20)) * 160
                        if offset >= 0, offset + 160 <= audio.samples.count { frame = Array(audio.samples[offset..<offset + 160]) }
                    }
                    inbound(frame)
                }
                if let endReason { callEnding(endReason) }
                return sent
            }
            // The driver returns first unless the bot hung up; then the conversation is cancelled.
            var sent = await group.next() ?? []
            group.cancelAll()
            while let more = await group.next() { if !more.isEmpty { sent = more } }
            return sent
        }
    }
}
