/// A model that hears the caller and speaks itself (OpenAI Realtime): no recogniser, brain or
/// synthesiser of ura's in between.
///
/// The model detects the caller's turns on its side; ura keeps what the model cannot see: when
/// to answer, barge-in on the phone line (its own detector, echo guard and minimum speech), what
/// the caller actually heard of an answer that was cut, and carrying out the call actions the
/// model asks for.
public protocol SpeechToSpeechModel: Sendable {
    /// A name for logs and metrics ("realtime:gpt-realtime").
    var name: String { get }

    /// Opens a session for the conversation so far (a session opened again after a failure is
    /// told what was said before) with audio in and out at `sampleRate` (the line's), which the
    /// line carries as `encoding` (a model that takes G.711 can be given the line's own codec).
    func open(_ conversation: Conversation, sampleRate: Int, encoding: LineEncoding) -> any SpeechToSpeechSession
}

/// One connection to a speech-to-speech model. Every method queues and returns at once; what
/// the model does comes back in ``events``, which finishes when the session is over.
public protocol SpeechToSpeechSession: Sendable {
    var events: AsyncStream<SpeechToSpeechEvent> { get }
    /// Caller audio, as it arrives.
    func append(_ samples: [Int16])
    /// Asks for an answer now; `instructions` steer this one answer only (a reprompt, a goodbye,
    /// an operator's line).
    func respond(instructions: String?)
    /// Tells the model the caller typed or did something it cannot hear (`[DTMF 1]`).
    func addCallerText(_ text: String)
    /// Stops the answer being generated.
    func cancelResponse()
    /// The caller heard only the first `heardMilliseconds` of `item`'s audio: the model's
    /// memory of its own answer is cut there.
    func truncate(item: String, heardMilliseconds: Int)
    /// Ends the session.
    func close() async
}

/// What a speech-to-speech session reports, in order.
public enum SpeechToSpeechEvent: Sendable, Equatable {
    /// The model's turn detection heard the caller start.
    case callerStarted
    /// The model's turn detection judged the caller done.
    case callerStopped
    /// What the caller said in their last turn, as the model's transcription heard it.
    case callerTranscript(String)
    /// Audio of the answer `item`, at the session's rate.
    case audio(item: String, samples: [Int16])
    /// More of the transcript of the answer `item`.
    case botTranscript(item: String, delta: String)
    /// The model asked for something to be done to the call (already checked against the allow
    /// list; refused requests are answered to the model by the session and never reach here).
    case action(CallAction)
    /// The answer being generated is complete (or was cancelled); no more of its audio comes.
    case responseDone
    /// A cancel found no answer being generated (it had ended, or was never started): no
    /// ``responseDone`` will come for it.
    case nothingToCancel
    /// The session broke; `reason` says why. Nothing follows.
    case failed(String)
}
