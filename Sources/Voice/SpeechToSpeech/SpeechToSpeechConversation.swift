import Logging
import Synchronization

/// One call's conversation with a ``SpeechToSpeechModel``: the caller's audio goes to the model,
/// the model's answers come back as audio and are paced onto the line.
///
/// The model's turn detection says when the caller has finished; ura asks for the answer then,
/// unless the caller only spoke briefly over the bot (a backchannel, a cough: the model's own
/// detection cannot tell those from a turn). ura's detector listens to the line while the bot
/// speaks: speech whose voiced frames span ``TurnSettings/bargeInMinimumSpeech`` (a cough or a
/// "mhm" stays under it, however long the detector's hangover) interrupts the answer at once
/// (the output is flushed, the answer cancelled) and the model is told how much of its answer
/// the caller heard, to the millisecond on the wire, so its memory of the conversation matches
/// the caller's. The bot's own echo is sent to the model as silence.
///
/// Transfers and hang-ups the model asks for happen once its last words were heard. Each turn is
/// reported to the observer like the pipeline's (caller transcript, what the bot said and was
/// heard, timings), so records and live events do not depend on the bot. A session that breaks
/// follows ``ConversationSettings/onProviderFailure``: the lines are said by `voice` (the
/// configured synthesiser chain), and after an apology a new session is opened with the
/// conversation so far.
public final class SpeechToSpeechConversation: Sendable {
    enum Input: Sendable {
        case frame([Int16])
        case dtmf(Character)
        case say(String, interrupt: Bool)
        case event(SpeechToSpeechEvent, session: Int)
        case played(answer: Int)
        case lineSaid
    }

    let model: any SpeechToSpeechModel
    let voice: (any SpeechSynthesizer)?
    let output: any ConversationAudioOutput
    let control: any ConversationCallControl
    let converters: SampleRateConverterFactory
    let settings: ConversationSettings
    let observer: any ConversationObserver
    let logger: Logger
    let initialConversation: Conversation
    /// How long the model may take to start an answer before its session counts as failed.
    let answerTimeout: Duration
    let clock: any ConversationClock
    let executor: any TaskExecutor
    let inbox = Inbox<Input>()
    let echoGuard = EchoGuard()
    private let framesInFlight = Atomic(0)
    private let dropped = Atomic(0)
    private let endReason = Mutex<String?>(nil)
    private static let maximumFramesInFlight = 100

    /// - Parameters:
    ///   - answerTimeout: how long the model may take to start an answer.
    ///   - clock: what the conversation reads and sleeps on; tests give a virtual one.
    ///   - executor: where its tasks run; tests give the one their virtual clock steps.
    public init(
        model: any SpeechToSpeechModel, voice: (any SpeechSynthesizer)?, output: any ConversationAudioOutput,
        control: any ConversationCallControl, converters: @escaping SampleRateConverterFactory, conversation: Conversation,
        settings: ConversationSettings = ConversationSettings(), observer: any ConversationObserver = SilentObserver(),
        answerTimeout: Duration = .seconds(8), clock: any ConversationClock = ContinuousClock(),
        executor: any TaskExecutor = PipelineExecutor.shared, logger: Logger
    ) {
        self.answerTimeout = answerTimeout
        self.clock = clock
        self.executor = executor
        self.model = model
        self.voice = voice
        self.output = output
        self.control = control
        self.converters = converters
        self.settings = settings
        self.observer = observer
        self.logger = logger
        initialConversation = conversation
    }

    /// Hands over the next 20 ms of caller audio; never blocks (media clock thread).
    public func inbound(_ frame: [Int16]) {
        guard framesInFlight.add(1, ordering: .relaxed).newValue <= Self.maximumFramesInFlight else {
            framesInFlight.subtract(1, ordering: .relaxed)
            dropped.add(1, ordering: .relaxed)
            return
        }
        inbox.post(.frame(Array(frame)))
    }

    /// A DTMF digit the caller pressed.
    public func dtmf(_ digit: Character) { inbox.post(.dtmf(digit)) }

    /// Makes the bot say `text` now (`interrupt`) or after its current answer (operator API).
    public func say(_ text: String, interrupt: Bool) { inbox.post(.say(text, interrupt: interrupt)) }

    /// Says why the call is ending, before the call cancels ``run()``.
    public func callEnding(_ reason: String) { endReason.withLock { $0 = $0 ?? reason } }

    /// Caller frames the loop could not keep up with.
    public var droppedFrames: Int { dropped.load(ordering: .relaxed) }

    /// Runs the conversation until the task is cancelled or the bot ends the call.
    public func run() async {
        await withTaskExecutorPreference(executor) { await converse() }
    }

    private func converse() async {
        var loop = SpeechToSpeechLoop(owner: self)
        await withDiscardingTaskGroup { group in
            loop.start(&group)
            while let input = await inbox.next() {
                if Task.isCancelled { break }
                if case .frame = input { framesInFlight.subtract(1, ordering: .relaxed) }
                if await loop.handle(input, &group) == .stop { break }
            }
            await loop.stop(cuttingOpenTurnBy: endReason.withLock { $0 } ?? ConversationPipeline.unexplainedEnd)
            group.cancelAll()
        }
    }
}
