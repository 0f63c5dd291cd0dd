/// When each step of one turn happened, measured from the end of the caller's speech.
///
/// Kept per turn in the call record, logged as one JSON line, and fed to latency histograms.
/// `voiceToVoice` is what the caller feels: from when they stopped talking to the first packet
/// of the answer on the wire.
public struct TurnTimings: Sendable, Equatable {
    public var turn: Int
    public var input: String
    /// Caller speech ended (the detector's decision), the reference point.
    public var speechEnded: ContinuousClock.Instant?
    /// When the turn was judged over (endpoint silence, recogniser final, key press).
    public var turnEnded: Duration?
    public var recognizerFinal: Duration?
    public var firstBrainToken: Duration?
    public var firstSynthesizedAudio: Duration?
    public var firstPacket: Duration?
    /// From caller speech onset to the bot's audio stopping, when this turn's reply was cut.
    public var bargeInStop: Duration?
    public var interrupted = false
    /// What cut the turn short, nil when it ran to its end: `barge_in`, `operator_say`,
    /// `bot_hangup`, or the word the call gave for its end (``ConversationPipeline/callEnding(_:)``).
    public var cutBy: String?

    /// A turn numbered `turn` (from 0, the greeting), whose reply answers `input`.
    public init(turn: Int, input: String) {
        self.turn = turn
        self.input = input
    }

    public var voiceToVoice: Duration? { firstPacket }

    /// ura's own share of the wait: from the decision that the caller was done to the first
    /// packet of the answer, providers' time included.
    public var controllerTime: Duration? {
        guard let firstPacket, let turnEnded else { return nil }
        return firstPacket - turnEnded
    }

    /// Milliseconds, for logs and records.
    public var millisecondsByStage: [String: Int] {
        var stages: [String: Int] = [:]
        func put(_ name: String, _ duration: Duration?) {
            if let duration { stages[name] = Int(duration / .milliseconds(1)) }
        }
        put("recognizer_final_ms", recognizerFinal)
        put("first_token_ms", firstBrainToken)
        put("first_audio_ms", firstSynthesizedAudio)
        put("voice_to_voice_ms", firstPacket)
        put("barge_in_stop_ms", bargeInStop)
        return stages
    }
}

/// Receives what a conversation does, for logs, metrics, call records and live operator events.
public protocol ConversationObserver: Sendable {
    func transcript(_ text: String, isFinal: Bool)
    func botSaid(_ text: String, interrupted: Bool)
    func stateChanged(_ state: TurnTaking.State)
    func turnCompleted(_ timings: TurnTimings)
    func bargeIn(accepted: Bool)
    /// The brain or synthesis failed a reply (after every provider's retries and fallbacks);
    /// `response` is what the caller got instead.
    func replyFailed(_ response: FailedReplyResponse)
}

extension ConversationObserver {
    /// Observers that do not count failures need not say so.
    public func replyFailed(_ response: FailedReplyResponse) {}
}

/// Ignores everything.
public struct SilentObserver: ConversationObserver {
    public init() {}
    public func transcript(_ text: String, isFinal: Bool) {}
    public func botSaid(_ text: String, interrupted: Bool) {}
    public func stateChanged(_ state: TurnTaking.State) {}
    public func turnCompleted(_ timings: TurnTimings) {}
    public func bargeIn(accepted: Bool) {}
}
