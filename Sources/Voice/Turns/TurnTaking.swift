/// Who has the floor in a call, and what to do about it: the turn-taking state machine.
///
/// A plain value: every input is an ``Event`` at a time `now` (elapsed since the call began),
/// and every output is a list of ``Action``s for the pipeline to carry out. It owns no clock,
/// task or audio, so it is tested table-driven with virtual time. Feed it ``Event/tick``
/// every frame (20 ms) so that its timers (endpointing, no-input, barge-in, call length) fire.
///
/// ```
/// greeting ─reply audio─► botSpeaking ─reply done─► listening ─speech─► callerSpeaking
///     ▲                        │  ▲                       ▲                  │ silence/final
///     │                 barge-in  └─ reply audio ─ thinking ◄── transcript ──┘
///     │                        ▼
///     └──────────────── callerSpeaking
/// ```
public struct TurnTaking: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// The bot prepares its first words.
        case greeting
        /// The floor is the caller's; nobody speaks.
        case listening
        /// The caller speaks.
        case callerSpeaking
        /// The caller's turn ended; the bot prepares a reply (or the recogniser its final text).
        case thinking
        /// Bot audio is on the wire.
        case botSpeaking
        /// The call is over for the bot.
        case ended
    }

    public enum Event: Sendable, Equatable {
        case callStarted
        /// The speech detector heard the caller start.
        case speechStarted
        /// The speech detector's hangover passed.
        case speechEnded
        case partialTranscript(String)
        /// A final transcript of (part of) the utterance.
        case finalTranscript(String)
        case dtmf(Character)
        /// The first packet of a bot reply left.
        case replyStarted
        /// The last packet of a bot reply left, or a reply turned out to have no audio.
        case replyFinished
        /// The brain or synthesis failed; the pipeline already told the caller.
        case replyFailed
        case hangup
        /// Time passed.
        case tick
    }

    /// What the caller gave the bot this turn.
    public enum Input: Sendable, Equatable {
        case speech(String)
        case dtmf(String)
        /// The caller said nothing; `attempt` counts reprompts from 1.
        case noInput(attempt: Int)

        /// `speech`, `dtmf` or `no_input(n)`: what kind of turn, without what the caller said.
        public var kind: String {
            switch self {
            case .speech: "speech"
            case .dtmf: "dtmf"
            case .noInput(let attempt): "no_input(\(attempt))"
            }
        }

        /// The words or keys, if any.
        public var text: String? {
            switch self {
            case .speech(let text), .dtmf(let text): text
            case .noInput: nil
            }
        }
    }

    public enum HangupReason: String, Sendable, Equatable {
        case noInput = "no_input"
        case maximumDuration = "max_duration"
    }

    public enum Action: Sendable, Equatable {
        /// Ask the brain for its opening words.
        case requestGreeting
        /// Ask the recogniser for its final transcript of the utterance now.
        case finalizeRecognition
        /// Ask the brain for a reply to `input`.
        case requestReply(Input)
        /// The caller may be interrupting: stop sending bot audio for now, keep the reply.
        case pauseBot
        /// It was a cough, a backchannel or a short noise: carry on where the bot stopped.
        case resumeBot
        /// Barge-in or double turn: flush the pacer, cancel synthesis and generation.
        case interruptBot
        /// Say goodbye and end the call.
        case hangUp(HangupReason)
    }

    public private(set) var state: State = .greeting
    public let settings: TurnSettings
    /// Reprompts said since the caller last gave input.
    public private(set) var reprompts = 0
    /// Barge-ins that stopped the bot, and onsets that were dismissed (cough, backchannel, echo).
    public private(set) var bargeIns = 0
    public private(set) var dismissedInterruptions = 0

    private var listeningSince: Duration = .zero
    private var utteranceStart: Duration = .zero
    private var silenceSince: Duration?
    private var transcript = ""
    /// The recogniser's latest partial of the words after ``transcript`` (for smart endpointing).
    private var partial = ""
    /// The endpoint silence last judged, and the words it was judged from.
    private var endpointJudged: EndpointMemo?

    /// A memo, not state: machines that differ only in it are equal.
    private struct EndpointMemo: Equatable {
        var transcript: String
        var partial: String
        var silence: Duration
        static func == (_: Self, _: Self) -> Bool { true }
    }
    private var awaitingFinal = false
    private var botSpeakingSince: Duration = .zero
    private var interruptionSince: Duration?
    private var interruptionIsBackchannel = false
    /// When the caller's current stretch of speech began, in any state (nil while they are quiet).
    private var speechActiveSince: Duration?
    /// How long the caller spoke in the utterance being finalised.
    private var utteranceLength: Duration = .zero

    public init(settings: TurnSettings = TurnSettings()) {
        self.settings = settings
    }

    /// Applies one event; returns what the pipeline must do, in order.
    public mutating func handle(_ event: Event, at now: Duration) -> [Action] {
        if state == .ended { return [] }
        if event == .hangup {
            state = .ended
            return []
        }
        if now >= settings.maximumCallDuration {
            state = .ended
            return [.hangUp(.maximumDuration)]
        }
        let speechBegan = speechActiveSince
        switch event {
        case .speechStarted: if speechActiveSince == nil { speechActiveSince = now }
        case .speechEnded: speechActiveSince = nil
        default: break
        }
        switch (state, event) {
        case (.greeting, .callStarted):
            return [.requestGreeting]

        case (.greeting, .replyStarted), (.thinking, .replyStarted), (.listening, .replyStarted):
            // From listening: the operator made the bot speak.
            state = .botSpeaking
            botSpeakingSince = now
            interruptionSince = nil
            return []
        case (.greeting, .replyFinished), (.greeting, .replyFailed), (.thinking, .replyFinished), (.thinking, .replyFailed),
             (.botSpeaking, .replyFinished), (.botSpeaking, .replyFailed):
            if awaitingFinal, state == .thinking { return [] }
            if let since = speechActiveSince {
                // The caller is already talking as the bot falls silent: the floor is theirs.
                startUtterance(at: since)
                return []
            }
            startListening(at: now)
            return []

        case (.listening, .speechStarted):
            startUtterance(at: now)
            return []
        case (.listening, .dtmf(let digit)), (.callerSpeaking, .dtmf(let digit)):
            return takeInput(.dtmf(String(digit)))
        case (.listening, .tick):
            guard now - listeningSince >= settings.noInputTimeout else { return [] }
            guard reprompts < settings.maximumReprompts else {
                state = .ended
                return [.hangUp(.noInput)]
            }
            reprompts += 1
            state = .thinking
            return [.requestReply(.noInput(attempt: reprompts))]
        case (.listening, .finalTranscript(let text)):
            // A recogniser that endpoints itself can finish after our detector went quiet.
            guard !text.isEmpty else { return [] }
            return takeInput(.speech(text))

        case (.callerSpeaking, .speechStarted):
            silenceSince = nil
            return []
        case (.callerSpeaking, .speechEnded):
            silenceSince = now
            return []
        case (.callerSpeaking, .partialTranscript(let text)):
            partial = text
            return []
        case (.callerSpeaking, .finalTranscript(let text)):
            append(text)
            partial = ""
            // The recogniser's final during a pause ends the turn without waiting out the silence.
            return silenceSince != nil ? endUtterance() : []
        case (.callerSpeaking, .tick):
            if let silenceSince, now - silenceSince >= endpointSilence() { return endUtterance() }
            if now - utteranceStart >= settings.maximumUtterance { return endUtterance() }
            return []

        case (.thinking, .finalTranscript(let text)) where awaitingFinal:
            append(text)
            awaitingFinal = false
            let heard = transcript
            transcript = ""
            guard !heard.isEmpty else {
                // Real speech the recogniser could not place is a no-match for the brain to
                // answer; a short blip is noise: listen again, no reprompt spent.
                if utteranceLength >= settings.noMatchMinimumSpeech { return takeInput(.speech("")) }
                startListening(at: now)
                return []
            }
            return takeInput(.speech(heard))
        case (.thinking, .speechStarted), (.greeting, .speechStarted):
            // The caller goes on talking before the bot answered: drop the reply in the making
            // and treat what follows as the same turn (a final still on its way is appended).
            startUtterance(at: now, keepingTranscript: true)
            return [.interruptBot]

        case (.botSpeaking, .speechStarted):
            // Inside the grace (or with barge-in off) nothing happens yet; the speech is counted as
            // dismissed when it ends under the bot, not if it goes on and interrupts.
            guard settings.bargeIn, now - botSpeakingSince >= settings.bargeInGrace else { return [] }
            interruptionSince = now
            interruptionIsBackchannel = false
            // Pausing costs nothing and can be undone, so the bot goes quiet at the first sign of
            // speech; whether it was a real interruption is decided below.
            return [.pauseBot]
        case (.botSpeaking, .partialTranscript(let text)), (.botSpeaking, .finalTranscript(let text)):
            if interruptionSince != nil { interruptionIsBackchannel = isBackchannel(text) }
            return []
        case (.botSpeaking, .speechEnded):
            guard interruptionSince != nil else {
                if let began = speechBegan, began >= botSpeakingSince { dismissedInterruptions += 1 }
                return []
            }
            interruptionSince = nil
            dismissedInterruptions += 1
            return [.resumeBot]
        case (.botSpeaking, .tick) where interruptionSince == nil:
            // Speech that began inside the grace and is still going when it ends is the caller
            // talking (a word trailing into the bot's start, or echo, is over by then): it is
            // weighed from the end of the grace like any other onset. Ignoring it lost a caller
            // who asked just as a late greeting began (offline bench, 100 calls at once).
            guard settings.bargeIn, speechActiveSince != nil, now - botSpeakingSince >= settings.bargeInGrace else { return [] }
            interruptionSince = now
            interruptionIsBackchannel = false
            return [.pauseBot]
        case (.botSpeaking, .tick):
            guard let since = interruptionSince, now - since >= settings.bargeInMinimumSpeech else { return [] }
            if interruptionIsBackchannel, now - since < settings.backchannelMaximum { return [] }
            bargeIns += 1
            startUtterance(at: since)
            return [.interruptBot]
        case (.botSpeaking, .dtmf(let digit)):
            bargeIns += 1
            return [.interruptBot] + takeInput(.dtmf(String(digit)))
        case (.greeting, .dtmf(let digit)), (.thinking, .dtmf(let digit)):
            // A key pressed while the bot prepares its words is the newer input.
            return [.interruptBot] + takeInput(.dtmf(String(digit)))

        default:
            return []
        }
    }

    private mutating func startListening(at now: Duration) {
        state = .listening
        listeningSince = now
        silenceSince = nil
        interruptionSince = nil
    }

    /// The pause that ends the current utterance, judged from its words so far; worked out again
    /// only when they change, not on every 20 ms tick.
    private mutating func endpointSilence() -> Duration {
        if let judged = endpointJudged, judged.transcript == transcript, judged.partial == partial { return judged.silence }
        let words = partial.isEmpty ? transcript : transcript.isEmpty ? partial : transcript + " " + partial
        let silence = settings.smartEndpoint.silence(after: words, base: settings.endpointSilence)
        endpointJudged = EndpointMemo(transcript: transcript, partial: partial, silence: silence)
        return silence
    }

    private mutating func startUtterance(at now: Duration, keepingTranscript: Bool = false) {
        state = .callerSpeaking
        partial = ""
        utteranceStart = now
        silenceSince = nil
        interruptionSince = nil
        awaitingFinal = false
        if !keepingTranscript { transcript = "" }
    }

    private mutating func endUtterance() -> [Action] {
        utteranceLength = (silenceSince ?? Duration.zero) > utteranceStart ? silenceSince! - utteranceStart : .zero
        state = .thinking
        awaitingFinal = true
        silenceSince = nil
        return [.finalizeRecognition]
    }

    private mutating func takeInput(_ input: Input) -> [Action] {
        state = .thinking
        awaitingFinal = false
        transcript = ""
        reprompts = 0
        return [.requestReply(input)]
    }

    private mutating func append(_ text: String) {
        let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !trimmed.isEmpty else { return }
        transcript = transcript.isEmpty ? trimmed : transcript + " " + trimmed
    }

    private func isBackchannel(_ text: String) -> Bool {
        let words = text.lowercased().split { !$0.isLetter && $0 != "-" && $0 != "'" }.map(String.init)
        guard !words.isEmpty else { return false }
        return settings.backchannels.contains(words.joined(separator: " ")) || words.allSatisfy { settings.backchannels.contains($0) }
    }
}
