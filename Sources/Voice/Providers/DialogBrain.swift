/// Decides what the bot says and does: an LLM, a scripted URA flow, the echo bot.
///
/// For each turn the pipeline calls ``respond(to:in:)`` with what the caller gave and the
/// conversation so far; the brain streams text as it forms (the pipeline cuts it into
/// sentences and speaks them as they complete) and actions for the call. The stream ends with
/// the turn. Cancelling the consuming task (barge-in) abandons the turn; the pipeline then
/// records only what the caller actually heard in the conversation.
public protocol DialogBrain: Sendable {
    /// A name for logs and metrics ("flow:clinica", "llm:gpt-4o-mini").
    var name: String { get }

    func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error>

    /// What the brain expects to hear next (a flow state's phrases), for the recogniser; nil
    /// when it takes anything.
    func recognitionHints(for conversation: Conversation) -> RecognitionHints?
}

extension DialogBrain {
    public func recognitionHints(for conversation: Conversation) -> RecognitionHints? { nil }
}

/// What starts a brain's turn.
public enum BrainInput: Sendable, Equatable {
    /// The call was answered; say hello.
    case greeting
    /// The caller said this (final transcript).
    case speech(String)
    /// The caller pressed these keys.
    case dtmf(String)
    /// The caller said nothing; `attempt` counts from 1.
    case noInput(attempt: Int)
    /// The call is ending for `reason` (no input, maximum duration); say goodbye.
    case goodbye(reason: String)
}

/// A piece of the brain's turn.
public enum BrainOutput: Sendable, Equatable {
    /// More reply text (any length: a token, a sentence).
    case text(String)
    /// Something to do to the call, in order with the text around it.
    case action(CallAction)
}

/// What a brain can do to a call besides talking.
public enum CallAction: Sendable, Equatable {
    /// Hand the caller to an extension (dialplan) or endpoint (e.g. `PJSIP/1002`).
    case transfer(destination: String)
    /// End the call after what was said has been heard.
    case hangUp(reason: String)
    /// Send DTMF tones to the caller's line (e.g. into an IVR the bot called).
    case sendDTMF(digits: String)
    /// Remember a value for the rest of the call (flows' variables).
    case setVariable(name: String, value: String)
}

/// The dialog so far, as the brain sees it.
public struct Conversation: Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        public enum Role: String, Sendable { case caller, bot, system }
        public var role: Role
        public var text: String
        /// True when a bot message was cut by barge-in: `text` is what the caller heard.
        public var interrupted: Bool

        public init(role: Role, text: String, interrupted: Bool = false) {
            self.role = role
            self.text = text
            self.interrupted = interrupted
        }
    }

    /// BCP 47 language of the call.
    public var language: String
    /// The caller's number, when Asterisk knows it.
    public var callerNumber: String?
    public var messages: [Message]
    /// Values set by ``CallAction/setVariable(name:value:)`` and by the call's Stasis arguments.
    public var variables: [String: String]

    public init(language: String, callerNumber: String? = nil, messages: [Message] = [], variables: [String: String] = [:]) {
        self.language = language
        self.callerNumber = callerNumber
        self.messages = messages
        self.variables = variables
    }
}
