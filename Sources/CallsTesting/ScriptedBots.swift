import Calls
import Logging
import Synchronization
import Voice
import VoiceTesting

/// Conversational bots on scripted providers: for end-to-end tests and benchmarks.
///
/// Every call's greeting is `greeting`; every later turn is answered with `reply`. The caller is
/// heard as `heard`, as a streaming recogniser gives it (word by word, one per `framesPerWord`
/// frames; nil: no partials, a batch recogniser's single final). The synthesiser is
/// `synthesizer` (a tone by default, or real speech where echo matters), and the observer
/// collects every turn's timings and barge-in decision across calls.
public struct ScriptedBots: BotFactory {
    public let greeting: String
    public let reply: String
    public let heard: String
    public let framesPerWord: Int?
    public let synthesizer: @Sendable () -> any SpeechSynthesizer
    public let observer = TurnLog()

    public init(
        greeting: String, reply: String = "Yes?", heard: String = "wait a moment please", framesPerWord: Int? = 10,
        synthesizer: @escaping @Sendable () -> any SpeechSynthesizer = { ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(60)) }
    ) {
        self.greeting = greeting
        self.reply = reply
        self.heard = heard
        self.framesPerWord = framesPerWord
        self.synthesizer = synthesizer
    }

    public func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
        let greeting = greeting
        let reply = reply
        let observer = observer
        let synthesizer = synthesizer()
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: [heard], framesPerWord: framesPerWord ?? Int.max)
        return ConversationBot { output, control in
            ConversationPipeline(
                recognizer: recognizer,
                brain: ScriptedBrain(recordsTurns: false) { input, _ in input == .greeting ? [.text(greeting)] : [.text(reply)] },
                synthesizer: synthesizer, output: output, control: control, converters: SpeexConverter.factory,
                conversation: Conversation(language: "en-US"), observer: observer, logger: Logger(label: "scripted.pipeline"))
        }
    }
}

/// Collects turn timings, what the bots said and barge-in decisions from many conversations.
public final class TurnLog: ConversationObserver {
    private let state = Mutex<(turns: [TurnTimings], accepted: Int, dismissed: Int, said: [String])>(([], 0, 0, []))

    public init() {}

    public var turns: [TurnTimings] { state.withLock { $0.turns } }
    /// Every line a bot said, in order.
    public var said: [String] { state.withLock { $0.said } }
    public var acceptedBargeIns: Int { state.withLock { $0.accepted } }
    public var dismissedBargeIns: Int { state.withLock { $0.dismissed } }

    public func transcript(_ text: String, isFinal: Bool) {}
    public func botSaid(_ text: String, interrupted: Bool) { state.withLock { $0.said.append(text) } }
    public func stateChanged(_ state: TurnTaking.State) {}
    public func turnCompleted(_ timings: TurnTimings) { state.withLock { $0.turns.append(timings) } }
    public func bargeIn(accepted: Bool) { state.withLock { accepted ? ($0.accepted += 1) : ($0.dismissed += 1) } }
}
