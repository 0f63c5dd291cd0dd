import Logging
import Synchronization

/// One call's conversation: caller audio in, bot audio out, turn-taking in between.
///
/// Frames of caller audio arrive through ``inbound(_:)`` from the media clock (20 ms each, at
/// the output's rate). ``run()`` — owned by the call's task, cancelled when the call ends — runs
/// the speech detector and the ``TurnTaking`` machine on them, streams each utterance into the
/// recogniser (pre-roll first), and carries out the machine's actions: a turn's reply streams
/// from the brain through the ``SentenceChunker`` into the synthesiser and out as paced frames,
/// sentence by sentence, so the first words play while the rest is still being written.
///
/// Barge-in: the output is flushed at once (the next tick carries none of the reply), the reply
/// task is cancelled (brain and synthesis stop), and the conversation keeps, as the bot's
/// message, only the words the caller heard (``HeardText`` over the pacer's cursors).
///
/// Provider failures: a reply the brain or synthesis fails is apologised for, until
/// ``ConversationSettings/onProviderFailure`` says the caller is better off with a human or a
/// goodbye; then the bot says so, transfers or hangs up, and stops.
///
/// Everything the loop decides happens on one task, in the order inputs arrived; producers
/// (clock thread, recogniser and reply tasks, DTMF, operator) only post inputs.
public final class ConversationPipeline: Sendable {
    enum Input: Sendable {
        case frame([Int16])
        case dtmf(Character)
        case transcript(Transcript, utterance: Int)
        case recognitionFailed(String, utterance: Int)
        case reply(ReplyEvent, id: Int)
        case say(String, interrupt: Bool)
        case variable(String, String)
    }

    private let recognizer: any SpeechRecognizer
    private let brain: any DialogBrain
    private let synthesizer: any SpeechSynthesizer
    private let output: any ConversationAudioOutput
    private let control: any ConversationCallControl
    private let converters: SampleRateConverterFactory
    private let observer: any ConversationObserver
    private let settings: ConversationSettings
    private let clock: any ConversationClock
    private let executor: any TaskExecutor
    private let logger: Logger
    private let inbox = Inbox<Input>()
    private let initialConversation: Conversation
    private let dropped = Atomic(0)
    /// Caller frames posted and not yet handled by the loop.
    private let framesInFlight = Atomic(0)
    /// Arrays of frames the loop has handled, for ``inbound(_:)`` to copy the next ones into:
    /// the media thread then allocates nothing, and the frame it lent is not kept.
    private let spareFrames: Mutex<[[Int16]]>
    private static let spareFramesKept = 8
    /// Two seconds of frames; beyond that the loop is hopelessly behind and new frames go.
    private static let maximumFramesInFlight = 100
    /// Set when ``run()`` ends, before its replies are cancelled: a cancelled reply then knows
    /// the call is gone, not merely talked over.
    private let over = Atomic(false)
    private let endReason = Mutex<String?>(nil)
    let echoGuard: EchoGuard

    /// - Parameters:
    ///   - clock: what the conversation reads and sleeps on; tests give a virtual one.
    ///   - executor: where its tasks run (loop, recognition, replies); tests give the one their
    ///     virtual clock steps.
    public init(
        recognizer: any SpeechRecognizer, brain: any DialogBrain, synthesizer: any SpeechSynthesizer,
        output: any ConversationAudioOutput, control: any ConversationCallControl,
        converters: @escaping SampleRateConverterFactory, conversation: Conversation,
        settings: ConversationSettings = ConversationSettings(), observer: any ConversationObserver = SilentObserver(),
        clock: any ConversationClock = ContinuousClock(), executor: any TaskExecutor = PipelineExecutor.shared,
        logger: Logger
    ) {
        self.recognizer = recognizer
        self.brain = brain
        self.synthesizer = synthesizer
        self.output = output
        self.control = control
        self.converters = converters
        self.settings = settings
        self.clock = clock
        self.executor = executor
        echoGuard = EchoGuard(canceller: settings.echoCancellation ? EchoCanceller(sampleRate: output.sampleRate) : nil)
        self.observer = observer
        self.logger = logger
        initialConversation = conversation
        // The inbox is unbounded so that no transcript, reply event or key press is ever lost;
        // audio frames, the only input that comes on its own at a steady rate, are bounded in
        // `inbound`.
        // Ready from the first frame: a loop that falls a few frames behind for the first time
        // must not make the media thread allocate.
        var spares: [[Int16]] = []
        spares.reserveCapacity(Self.spareFramesKept)
        for _ in 0..<Self.spareFramesKept {
            var frame: [Int16] = []
            frame.reserveCapacity(output.sampleRate / 50)
            spares.append(frame)
        }
        spareFrames = Mutex(spares)
    }

    /// Hands over the next 20 ms of caller audio; never blocks (media clock thread).
    public func inbound(_ frame: [Int16]) {
        guard framesInFlight.add(1, ordering: .relaxed).newValue <= Self.maximumFramesInFlight else {
            framesInFlight.subtract(1, ordering: .relaxed)
            dropped.add(1, ordering: .relaxed)
            return
        }
        // A copy: the caller's array (the jitter buffer's) is refilled next tick.
        var copy = spareFrames.withLock { $0.popLast() } ?? []
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: frame)
        inbox.post(.frame(copy))
    }

    /// Takes back a frame's array once the loop is done with it (nothing may keep it).
    private func recycle(_ frame: [Int16]) {
        spareFrames.withLock { spares in
            if spares.count < Self.spareFramesKept { spares.append(frame) }
        }
    }

    /// A DTMF digit the caller pressed.
    public func dtmf(_ digit: Character) { inbox.post(.dtmf(digit)) }

    /// Makes the bot say `text` now (`interrupt`) or after what it is saying (operator API).
    public func say(_ text: String, interrupt: Bool) { inbox.post(.say(text, interrupt: interrupt)) }

    /// Caller frames the loop could not keep up with.
    public var droppedFrames: Int { dropped.load(ordering: .relaxed) }

    /// Says why the call is ending, before the call cancels ``run()``: a turn in progress then is
    /// reported cut by `reason` (`caller_hangup`, `transferred`, `operator_hangup`, `shutdown`, …).
    public func callEnding(_ reason: String) { endReason.withLock { $0 = $0 ?? reason } }

    /// Runs the conversation until the task is cancelled or the bot ends the call.
    ///
    /// On its way out it reports the turn in progress, if any, as cut: with what the caller said
    /// and what they heard of the reply, so no turn of a call goes unrecorded.
    public func run() async {
        await withTaskExecutorPreference(executor) { await converse() }
    }

    private func converse() async {
        var loop = Loop(pipeline: self)
        await withDiscardingTaskGroup { group in
            loop.start(&group)
            while let input = await inbox.next() {
                if Task.isCancelled { break }
                if await loop.handle(input, &group) == .stop { break }
            }
            loop.stopAll(cuttingOpenTurnBy: endReason.withLock { $0 } ?? Self.unexplainedEnd)
            group.cancelAll()
        }
    }

    /// What a turn is cut by when the conversation stopped and the call did not say why.
    static let unexplainedEnd = "call_ended"

    // MARK: - The loop's state

    enum Verdict { case goOn, stop }

    /// Everything the loop owns; lives on ``run()``'s task only.
    struct Loop {
        let pipeline: ConversationPipeline
        var machine: TurnTaking
        var conversation: Conversation
        let detector: SpeechDetector?
        /// What the detector hears in place of a frame judged to be the bot's own echo (kept,
        /// not made anew for every frame the bot speaks over).
        var silentFrame: [Int16] = []
        /// The caller's frame with the bot's echo taken out (kept, its storage reused).
        var cleaned: [Int16] = []
        let started: ContinuousClock.Instant
        var utterance = 0
        var recognition: (id: Int, audio: AsyncStream<[Int16]>.Continuation, task: Task<Void, Never>, converter: any SampleRateConverter)?
        var reply: (id: Int, task: Task<Void, Never>, playback: ReplyPlayback)?
        var replyCount = 0
        /// Failed replies since the last one played to its end.
        var consecutiveFailures = 0
        var pendingSays: [String] = []
        var hangUpAfterReply: String?
        var timings: TurnTimings
        /// What the caller said or keyed this turn: logged only when ``ConversationSettings/logTranscripts``.
        var turnText: String?
        /// ``timings`` describes a turn not yet reported to the observer.
        var turnOpen = false
        /// The caller's latest words not yet taken as a turn's input (partial or final).
        var pendingCallerWords = ""
        var lastSpeechEnd: ContinuousClock.Instant?
        var finalArrived: ContinuousClock.Instant?
        var speechOnset: ContinuousClock.Instant?
        /// When the bot went quiet for a possible interruption.
        var pausedAt: ContinuousClock.Instant?

        init(pipeline: ConversationPipeline) {
            self.pipeline = pipeline
            machine = TurnTaking(settings: pipeline.settings.turn)
            conversation = pipeline.initialConversation
            started = pipeline.clock.now
            detector = try? SpeechDetector(sampleRate: pipeline.output.sampleRate, settings: pipeline.settings.detector)
            timings = TurnTimings(turn: 0, input: "greeting")
            if detector == nil { pipeline.logger.error("no speech detector for this sample rate", metadata: ["rate": "\(pipeline.output.sampleRate)"]) }
        }

        /// Time into the call, for the turn-taking machine.
        var now: Duration { clock.now - started }

        var clock: any ConversationClock { pipeline.clock }

        mutating func start(_ group: inout DiscardingTaskGroup) {
            apply(machine.handle(.callStarted, at: now), &group)
        }

        mutating func handle(_ input: Input, _ group: inout DiscardingTaskGroup) async -> Verdict {
            let stateBefore = machine.state
            switch input {
            case .frame(let samples):
                pipeline.framesInFlight.subtract(1, ordering: .relaxed)
                hear(samples, &group)
                pipeline.recycle(samples)
                apply(machine.handle(.tick, at: now), &group)
            case .dtmf(let digit):
                apply(machine.handle(.dtmf(digit), at: now), &group)
            case .transcript(let transcript, let id):
                guard id == recognition?.id || id == utterance else { break }
                pipeline.observer.transcript(transcript.text, isFinal: transcript.isFinal)
                if !transcript.text.isEmpty { pendingCallerWords = transcript.text }
                if transcript.isFinal {
                    finalArrived = clock.now
                    if recognition?.id == id { recognition = nil }
                    apply(machine.handle(.finalTranscript(transcript.text), at: now), &group)
                } else {
                    apply(machine.handle(.partialTranscript(transcript.text), at: now), &group)
                }
            case .recognitionFailed(let error, let id):
                pipeline.logger.warning("recogniser failed", metadata: ["error": "\(error)", "utterance": "\(id)"])
                if recognition?.id == id { recognition = nil }
                apply(machine.handle(.finalTranscript(""), at: now), &group)
            case .reply(let event, let id):
                // A reply that left the call (transfer, hang-up) ends the conversation even when
                // the caller had talked over its last words.
                guard id == reply?.id || event.leftTheCall else { break }
                if await replyEvent(event, id: id, &group) == .stop { return .stop }
            case .variable(let name, let value):
                conversation.variables[name] = value
            case .say(let text, let interrupt):
                if interrupt || reply == nil {
                    if reply != nil { interruptReply(cutBy: Self.operatorSay) }
                    beginTurn(input: "say")
                    startReply(.scripted(text), &group)
                } else {
                    pendingSays.append(text)
                }
            }
            if machine.state != stateBefore { pipeline.observer.stateChanged(machine.state) }
            guard machine.state == .ended, reply == nil else { return .goOn }
            // Also when the goodbye failed: a call the bot is done with must not stay up in silence.
            if let reason = hangUpAfterReply {
                hangUpAfterReply = nil
                await pipeline.control.perform(.hangUp(reason: reason))
            }
            return .stop
        }

        /// Runs the detector on a frame and feeds the open utterance.
        private mutating func hear(_ samples: [Int16], _ group: inout DiscardingTaskGroup) {
            guard let detector else { return }
            // The bot's own voice coming back down the line is not the caller talking: the detector
            // hears digital silence instead.
            var level = Loudness.dBFS(samples)
            let heardAt = clock.now
            var echo = pipeline.echoGuard.isProbablyEcho(level: level, at: heardAt)
            var heard = samples
            // The canceller sees every frame (it adapts on all of them). A frame it explained by
            // the bot's voice is echo; one it took something out of is heard cleaned; one it left
            // alone is heard as it came (its suppression would only dim a caller).
            if pipeline.echoGuard.canceller != nil {
                cleaned.removeAll(keepingCapacity: true)
                cleaned.append(contentsOf: samples)
                pipeline.echoGuard.cancelEcho(in: &cleaned, at: heardAt)
                let remaining = Loudness.dBFS(cleaned)
                switch EchoGuard.cancellation(level: level, remaining: remaining) {
                case .echo:
                    echo = true
                case .mixed:
                    heard = cleaned
                    level = remaining
                case .none: break
                }
            }
            if echo, silentFrame.count != samples.count { silentFrame = [Int16](repeating: 0, count: samples.count) }
            if echo { heard = silentFrame }
            switch detector.process(heard, level: echo ? -100 : level) {
            case .speechStarted(let audio):
                speechOnset = heardAt - pipeline.settings.detector.minimumSpeech
                if recognition == nil { openRecognition(&group) }
                feed(audio)
                apply(machine.handle(.speechStarted, at: now), &group)
            case .speech:
                // A recogniser that endpointed on its own during a pause ("I'd like… an
                // appointment") has ended its session: the caller's next words need a new one.
                if recognition == nil, machine.state == .callerSpeaking { openRecognition(&group) }
                feed(samples)
            case .speechEnded:
                feed(samples)
                lastSpeechEnd = heardAt
                let wasBotSpeaking = machine.state == .botSpeaking
                apply(machine.handle(.speechEnded, at: now), &group)
                // A cough or backchannel under the bot's voice: its recognition is not a turn.
                if wasBotSpeaking, machine.state == .botSpeaking, let open = recognition {
                    open.task.cancel()
                    open.audio.finish()
                    recognition = nil
                    pendingCallerWords = ""
                    pipeline.observer.bargeIn(accepted: false)
                }
            case .silence:
                if machine.state == .callerSpeaking || machine.state == .thinking { feed(samples) }
            }
        }

        private mutating func openRecognition(_ group: inout DiscardingTaskGroup) {
            utterance += 1
            let id = utterance
            let (audio, continuation) = AsyncStream<[Int16]>.makeStream(bufferingPolicy: .unbounded)
            let recognizer = pipeline.recognizer
            let hints = pipeline.brain.recognitionHints(for: conversation) ?? RecognitionHints(language: conversation.language)
            let inbox = pipeline.inbox
            let task = Task(executorPreference: pipeline.executor) {
                do {
                    for try await transcript in recognizer.transcribe(audio, hints: hints) {
                        inbox.post(.transcript(transcript, utterance: id))
                        if transcript.isFinal { return }
                    }
                    inbox.post(.transcript(Transcript(text: "", isFinal: true), utterance: id))
                } catch is CancellationError {
                } catch {
                    inbox.post(.recognitionFailed(String(describing: error), utterance: id))
                }
            }
            let converter = pipeline.output.sampleRate == recognizer.sampleRate
                ? PassThroughConverter() : pipeline.converters(pipeline.output.sampleRate, recognizer.sampleRate)
            recognition = (id, continuation, task, converter)
            group.addTask { await task.value }
        }

        private func feed(_ samples: [Int16]) {
            guard let recognition else { return }
            recognition.audio.yield(recognition.converter.convert(samples))
        }

        // MARK: Actions

        private mutating func apply(_ actions: [TurnTaking.Action], _ group: inout DiscardingTaskGroup) {
            for action in actions {
                switch action {
                case .requestGreeting:
                    timings = TurnTimings(turn: 0, input: "greeting")
                    turnOpen = true
                    startReply(.brain(.greeting), &group)
                case .finalizeRecognition:
                    if let recognition {
                        recognition.audio.finish()
                    } else {
                        // Its final came already (the words are in the turn): nothing more to wait for.
                        pipeline.inbox.post(.transcript(Transcript(text: "", isFinal: true), utterance: utterance))
                    }
                case .requestReply(let input):
                    let brainInput: BrainInput
                    switch input {
                    case .speech(let text):
                        if !text.isEmpty { conversation.messages.append(.init(role: .caller, text: text)) }
                        brainInput = .speech(text)
                    case .dtmf(let digits):
                        conversation.messages.append(.init(role: .caller, text: "[DTMF \(digits)]"))
                        brainInput = .dtmf(digits)
                    case .noInput(let attempt):
                        brainInput = .noInput(attempt: attempt)
                    }
                    // The kind only: what the caller said or keyed is theirs (card numbers, health).
                    timings = TurnTimings(turn: timings.turn + 1, input: input.kind)
                    turnText = input.text
                    turnOpen = true
                    pendingCallerWords = ""
                    if case .speech = input {
                        timings.speechEnded = lastSpeechEnd
                        if let lastSpeechEnd, let finalArrived { timings.recognizerFinal = finalArrived - lastSpeechEnd }
                    } else {
                        // DTMF and silence have no speech end: measure from the decision itself.
                        timings.speechEnded = clock.now
                    }
                    timings.turnEnded = timings.speechEnded.map { clock.now - $0 }
                    finalArrived = nil
                    startReply(.brain(brainInput), &group)
                case .pauseBot:
                    // Quiet from the next tick on; the reply re-sends what the flush dropped if it resumes.
                    reply?.playback.pause()
                    _ = pipeline.output.flush()
                    pipeline.echoGuard.queueFlushed()
                    pausedAt = clock.now
                case .resumeBot:
                    reply?.playback.resume()
                    pausedAt = nil
                case .interruptBot:
                    interruptReply(cutBy: Self.bargeIn)
                case .hangUp(let reason):
                    hangUpAfterReply = reason.rawValue
                    if reply != nil { interruptReply(cutBy: Self.botHangup) }
                    beginTurn(input: "goodbye(\(reason.rawValue))")
                    startReply(.brain(.goodbye(reason: reason.rawValue)), &group)
                }
            }
        }

        enum ReplySource { case brain(BrainInput), scripted(String) }

        /// What the next reply does if it fails: decided now, so that the caller hears either the
        /// apology or the handover, never both.
        private var onFailure: ReplySpeaker.OnFailure {
            let settings = pipeline.settings
            if let reason = hangUpAfterReply {
                // The closing words failed: the call ends anyway, with a short goodbye.
                return .leave(line: settings.failureGoodbye, action: .hangUp(reason: reason))
            }
            guard consecutiveFailures + 1 >= settings.onProviderFailure.threshold else { return .apologize(settings.apology) }
            switch settings.onProviderFailure.action {
            case .apologize: return .apologize(settings.apology)
            case .transfer(let destination): return .leave(line: settings.handoverLine, action: .transfer(destination: destination))
            case .hangUp: return .leave(line: settings.failureGoodbye, action: .hangUp(reason: Self.providerFailure))
            }
        }

        /// The hang-up reason when the policy ends a call.
        static let providerFailure = "provider_failure"

        private mutating func startReply(_ source: ReplySource, _ group: inout DiscardingTaskGroup) {
            replyCount += 1
            let id = replyCount
            let playback = ReplyPlayback()
            let pipeline = pipeline
            let speaker = ReplySpeaker(
                id: id, playback: playback, synthesizer: pipeline.synthesizer, output: pipeline.output,
                control: pipeline.control, converters: pipeline.converters, language: conversation.language,
                framesAhead: pipeline.settings.framesAhead, onFailure: onFailure, echoGuard: pipeline.echoGuard, clock: pipeline.clock,
                inbox: pipeline.inbox, conversationOver: { pipeline.over.load(ordering: .acquiring) })
            let brain = pipeline.brain
            let conversation = conversation
            // On the pipeline's threads like the loop: the pacer wakes it as frames leave.
            let task = Task(executorPreference: pipeline.executor) {
                switch source {
                case .brain(let input): await speaker.speak(brain.respond(to: input, in: conversation))
                case .scripted(let text): await speaker.speak(ScriptedReply.stream(text))
                }
            }
            reply = (id, task, playback)
            group.addTask { await task.value }
        }

        static let bargeIn = "barge_in"
        static let operatorSay = "operator_say"
        static let botHangup = "bot_hangup"

        /// Stops the reply now and keeps what was heard of it; the turn ends, cut by `cutBy`.
        private mutating func interruptReply(cutBy: String) {
            guard let current = reply else { return }
            let bargeIn = cutBy == Self.bargeIn
            current.task.cancel()
            _ = pipeline.output.flush()
            pipeline.echoGuard.reset()
            // A paused bot stopped sending when it paused: that is when the caller heard it stop.
            let stoppedAt = pausedAt ?? clock.now
            pausedAt = nil
            let heard = HeardText.heard(current.playback.sentences(playedBy: pipeline.output), sampleRate: pipeline.output.sampleRate)
            if !heard.isEmpty { conversation.messages.append(.init(role: .bot, text: heard, interrupted: true)) }
            pipeline.observer.botSaid(heard, interrupted: true)
            if bargeIn {
                pipeline.observer.bargeIn(accepted: true)
                timings.interrupted = true
                timings.bargeInStop = speechOnset.map { stoppedAt - $0 }
            }
            timings.cutBy = cutBy
            finishTimings()
            reply = nil
        }

        /// Reports the turn in progress as cut by `reason` (the call is ending): the reply being
        /// played with what was heard of it, or the caller's words that had no answer yet.
        private mutating func cutOpenTurn(by reason: String) {
            if reply != nil, turnOpen {
                interruptReply(cutBy: reason)
            } else if turnOpen {
                timings.cutBy = reason
                finishTimings()
            } else if !pendingCallerWords.isEmpty {
                timings = TurnTimings(turn: timings.turn + 1, input: "speech")
                timings.speechEnded = lastSpeechEnd
                timings.cutBy = reason
                finishTimings()
            }
            pendingCallerWords = ""
        }

        private mutating func replyEvent(_ event: ReplyEvent, id: Int, _ group: inout DiscardingTaskGroup) async -> Verdict {
            switch event {
            case .firstToken(let at):
                timings.firstBrainToken = timings.speechEnded.map { at - $0 }
            case .firstAudio(let at):
                timings.firstSynthesizedAudio = timings.speechEnded.map { at - $0 }
            case .started(let at):
                timings.firstPacket = timings.speechEnded.map { at - $0 }
                apply(machine.handle(.replyStarted, at: now), &group)
            case .finished(let text):
                reply = nil
                consecutiveFailures = 0
                if !text.isEmpty {
                    conversation.messages.append(.init(role: .bot, text: text))
                    pipeline.observer.botSaid(text, interrupted: false)
                }
                finishTimings()
                if let reason = hangUpAfterReply {
                    await pipeline.control.perform(.hangUp(reason: reason))
                    return .stop
                }
                apply(machine.handle(.replyFinished, at: now), &group)
                if !pendingSays.isEmpty, reply == nil {
                    beginTurn(input: "say")
                    startReply(.scripted(pendingSays.removeFirst()), &group)
                }
            case .failed(let error, let response):
                consecutiveFailures += 1
                pipeline.logger.warning("reply failed", metadata: [
                    "error": "\(error)", "response": "\(response.rawValue)", "consecutive_failures": "\(consecutiveFailures)",
                ])
                pipeline.observer.replyFailed(response)
                if event.leftTheCall {
                    // Transferred or hung up: the conversation is over for the bot.
                    if reply?.id == id { finishTimings() }
                    return .stop
                }
                reply = nil
                finishTimings()
                apply(machine.handle(.replyFailed, at: now), &group)
            }
            return .goOn
        }

        /// A reply nobody asked for by speaking (goodbye, operator's say) is a turn of its own,
        /// timed from the decision: every turn has its own number in logs and call records.
        private mutating func beginTurn(input: String) {
            turnText = nil
            timings = TurnTimings(turn: timings.turn + 1, input: input)
            turnOpen = true
            timings.speechEnded = clock.now
            timings.turnEnded = .zero
        }

        private mutating func finishTimings() {
            turnOpen = false
            pipeline.observer.turnCompleted(timings)
            var metadata: Logger.Metadata = ["turn": "\(timings.turn)", "input": "\(timings.input)", "interrupted": "\(timings.interrupted)"]
            if let cutBy = timings.cutBy { metadata["cut_by"] = "\(cutBy)" }
            for (stage, milliseconds) in timings.millisecondsByStage { metadata[stage] = "\(milliseconds)" }
            if pipeline.settings.logTranscripts, let turnText { metadata["text"] = "\(turnText)" }
            pipeline.logger.info("turn", metadata: metadata)
        }

        mutating func stopAll(cuttingOpenTurnBy reason: String) {
            // First, so that the reply cancelled below knows the call is gone and performs nothing.
            pipeline.over.store(true, ordering: .releasing)
            cutOpenTurn(by: reason)
            recognition?.task.cancel()
            recognition?.audio.finish()
            recognition = nil
            reply?.task.cancel()
            reply = nil
        }
    }
}

/// A fixed text as a brain's turn (operator "say", goodbye lines).
enum ScriptedReply {
    static func stream(_ text: String) -> AsyncThrowingStream<BrainOutput, any Error> {
        AsyncThrowingStream { continuation in
            continuation.yield(.text(text))
            continuation.finish()
        }
    }
}
