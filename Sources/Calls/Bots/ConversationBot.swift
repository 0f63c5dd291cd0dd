import ARI
import Audio
import Logging
import Media
import Voice

/// A conversation a bot runs on a call's audio: the voice pipeline, or a speech-to-speech model's.
public protocol BotConversation: Sendable {
    func inbound(_ frame: [Int16])
    func dtmf(_ digit: Character)
    func say(_ text: String, interrupt: Bool)
    func callEnding(_ reason: String)
    func run() async
}

extension ConversationPipeline: BotConversation {}
extension SpeechToSpeechConversation: BotConversation {}

/// A bot that converses: the voice pipeline (or a speech-to-speech model) on a call's audio.
///
/// Adapts the call's media to the conversation (``CallAudioOutput`` as its output, speexdsp as
/// its resampler) and the conversation's actions to ARI (transfer, hang up, DTMF). The session
/// runs ``run()`` for as long as the call is active and cancels it at the end.
public final class ConversationBot: CallBot {
    private let makePipeline: @Sendable (any ConversationAudioOutput, any ConversationCallControl) -> any BotConversation
    private let pipeline = PipelineBox()
    private let transferSource: TransferSource

    /// - Parameters:
    ///   - transferSource: who the brain's transfers are counted and checked as.
    ///   - makePipeline: builds the call's pipeline once its output exists.
    public init(
        transferSource: TransferSource = .bot,
        makePipeline: @escaping @Sendable (any ConversationAudioOutput, any ConversationCallControl) -> any BotConversation
    ) {
        self.transferSource = transferSource
        self.makePipeline = makePipeline
    }

    public func attach(output: CallAudioOutput, control: CallControlHandle) {
        pipeline.set(makePipeline(PipelineOutput(output: output), PipelineControl(control: control, transferSource: transferSource)))
    }

    public func inbound(_ frame: PCMChunk, output: CallAudioOutput) {
        pipeline.get()?.inbound(frame.samples)
    }

    public func dtmf(_ digit: Character) { pipeline.get()?.dtmf(digit) }

    public func say(_ text: String, interrupt: Bool) { pipeline.get()?.say(text, interrupt: interrupt) }

    public func callEnding(_ reason: CallEnd) { pipeline.get()?.callEnding(reason.turnCut) }

    public func run() async { await pipeline.get()?.run() }
}

/// Set once when the call's media exists, read from the clock thread afterwards.
private final class PipelineBox: Sendable {
    private let value = Synchronization.Mutex<(any BotConversation)?>(nil)
    func set(_ pipeline: any BotConversation) { value.withLock { $0 = pipeline } }
    func get() -> (any BotConversation)? { value.withLock { $0 } }
}

import Synchronization

/// The call's paced output as the pipeline sees it.
public struct PipelineOutput: ConversationAudioOutput {
    let output: CallAudioOutput
    /// Adapts `output` for a ``ConversationPipeline``.
    public init(output: CallAudioOutput) { self.output = output }
    public var sampleRate: Int { output.sampleRate.hertz }
    public func send(_ samples: [Int16], source: UInt64, offset: Int64) -> Bool { output.send(samples, source: source, offset: offset) }
    public func flush() -> Int { output.flush() }
    public func playedCursor(for source: UInt64) -> Int64? { output.playedCursor(for: source) }
    public func playbackStarted(for source: UInt64) -> ContinuousClock.Instant? { output.playbackStarted(for: source) }
    public var queuedFrames: Int { output.queuedFrames }
    public func waitForRoom(queuedBelow limit: Int) async { await output.waitForRoom(queuedBelow: limit) }
    public var lineEncoding: LineEncoding {
        switch output.format {
        case .ulaw: .muLaw
        case .alaw: .aLaw
        case .slin, .slin16, .g722: .linear
        }
    }
}

/// The pipeline's actions, carried out on the call.
struct PipelineControl: ConversationCallControl {
    let control: CallControlHandle
    let transferSource: TransferSource
    func perform(_ action: CallAction) async {
        switch action {
        case .hangUp: control.hangUp()
        case .transfer(let destination): control.transfer(to: destination, source: transferSource)
        case .sendDTMF(let digits): await control.sendDTMF(digits)
        case .setVariable: break
        }
    }
}

/// speexdsp's resampler as the pipeline's converter; one per stream.
public struct SpeexConverter: SampleRateConverter {
    private let resampler: Resampler?

    public init(from: Int, to: Int) {
        resampler = try? Resampler(from: SampleRate(hertz: from), to: SampleRate(hertz: to))
    }

    public func convert(_ samples: [Int16]) -> [Int16] { resampler?.process(samples) ?? samples }

    /// The factory the pipeline takes.
    public static let factory: SampleRateConverterFactory = { SpeexConverter(from: $0, to: $1) }
}
