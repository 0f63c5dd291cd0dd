import Audio

/// What a bot does with a call's audio, frame by frame.
///
/// ``inbound(_:output:)`` runs on the media clock thread every 20 ms with the next frame of
/// caller audio (jitter-buffered and decoded, concealed where packets were lost). It must return
/// quickly: the same thread serves every call. Work that takes time (recognition, synthesis)
/// belongs on tasks that the handler only hands frames to.
public protocol CallAudioHandler: Sendable {
    func inbound(_ frame: PCMChunk, output: CallAudioOutput)
}

/// A bot with work of its own beside the per-frame handler: the conversation pipeline.
///
/// The session calls ``attach(output:control:)`` once media is set up, runs ``run()`` in a child
/// task while the call is active (cancelling it at the end), and forwards the caller's DTMF.
public protocol CallBot: CallAudioHandler {
    func attach(output: CallAudioOutput, control: CallControlHandle)
    func run() async
    func dtmf(_ digit: Character)
    /// Speaks `text` now or after the current utterance (operator API).
    func say(_ text: String, interrupt: Bool)
    /// The call is ending for `reason`; ``run()`` is cancelled next. Lets the bot record the
    /// turn it cuts with the right cause.
    func callEnding(_ reason: CallEnd)
}

extension CallBot {
    /// Bots that keep no turns need not hear why the call ends.
    public func callEnding(_ reason: CallEnd) {}
}
