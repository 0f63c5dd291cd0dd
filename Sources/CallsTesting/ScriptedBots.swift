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
/// collects every turn's timings and barge-in decision across calls. Each provider answers after
/// its fixed ``Latencies``. With ``Mode/speechToSpeech(turnSilence:)`` a scripted speech-to-speech
/// model hears and speaks instead (its own turn detection ends the caller's turn after
/// `turnSilence`).
public struct ScriptedBots: BotFactory {
    /// How long each scripted provider takes, fixed and known, so a benchmark can take them out.
    public struct Latencies: Sendable {
        /// From the end of the audio to the recogniser's final.
        public var recognizerFinal: Duration = .zero
        public var brainFirstToken: Duration = .zero
        public var synthesizerFirstAudio: Duration = .zero
        /// From asking a speech-to-speech model for an answer to its first audio.
        public var modelFirstAudio: Duration = .zero

        public init(recognizerFinal: Duration = .zero, brainFirstToken: Duration = .zero, synthesizerFirstAudio: Duration = .zero, modelFirstAudio: Duration = .zero) {
            self.recognizerFinal = recognizerFinal
            self.brainFirstToken = brainFirstToken
            self.synthesizerFirstAudio = synthesizerFirstAudio
            self.modelFirstAudio = modelFirstAudio
        }
    }

    public enum Mode: Sendable {
        /// Recogniser, brain and synthesiser (the `llm` bot's shape).
        case pipeline
        /// A speech-to-speech model (the `realtime` bot's shape).
        case speechToSpeech(turnSilence: Duration)
    }

    public let greeting: String
    public let reply: String
    public let heard: String
    public let framesPerWord: Int?
    public let synthesizer: @Sendable () -> any SpeechSynthesizer
    public let latencies: Latencies
    public let mode: Mode
    /// The pipeline's settings (not the speech-to-speech loop's).
    public let settings: ConversationSettings
    public let observer = TurnLog()

    public init(
        greeting: String, reply: String = "Yes?", heard: String = "wait a moment please", framesPerWord: Int? = 10,
        latencies: Latencies = Latencies(), mode: Mode = .pipeline, settings: ConversationSettings = ConversationSettings(),
        synthesizer: (@Sendable () -> any SpeechSynthesizer)? = nil
    ) {
        self.settings = settings
        self.greeting = greeting
        self.reply = reply
        self.heard = heard
        self.framesPerWord = framesPerWord
        self.latencies = latencies
        self.mode = mode
        let delay = latencies.synthesizerFirstAudio
        self.synthesizer = synthesizer ?? { ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(60), firstChunkDelay: delay) }
    }

    public func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
        let greeting = greeting
        let reply = reply
        let observer = observer
        if case .speechToSpeech(let turnSilence) = mode {
            // Three 20 ms frames a character: the scripted synthesiser's 60 ms.
            let model = ScriptedSpeechModel(
                answers: [.say(greeting, frames: greeting.count * 3)], reply: .say(reply, frames: reply.count * 3),
                firstAudioDelay: latencies.modelFirstAudio, turnSilence: turnSilence, heard: heard)
            return ConversationBot { output, control in
                SpeechToSpeechConversation(
                    model: model, voice: nil, output: output, control: control, converters: SpeexConverter.factory,
                    conversation: Conversation(language: "en-US"), observer: observer, logger: Logger(label: "scripted.s2s"))
            }
        }
        let synthesizer = synthesizer()
        let recognizer = ScriptedRecognizer(
            sampleRate: 16000, script: [heard], framesPerWord: framesPerWord ?? Int.max, finalDelay: latencies.recognizerFinal)
        let firstToken = latencies.brainFirstToken
        let settings = settings
        return ConversationBot { output, control in
            ConversationPipeline(
                recognizer: recognizer,
                brain: ScriptedBrain(firstTokenDelay: firstToken, recordsTurns: false) { input, _ in input == .greeting ? [.text(greeting)] : [.text(reply)] },
                synthesizer: synthesizer, output: output, control: control, converters: SpeexConverter.factory,
                conversation: Conversation(language: "en-US"), settings: settings, observer: observer,
                logger: Logger(label: "scripted.pipeline"))
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
