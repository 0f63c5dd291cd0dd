/// When a caller's turn ends, when the bot may be interrupted, and how long a call may idle.
public struct TurnSettings: Sendable, Equatable {
    /// Silence after speech that ends the caller's turn.
    public var endpointSilence: Duration = .milliseconds(600)
    /// Shortens that silence after a complete sentence, lengthens it after a hesitation.
    public var smartEndpoint = SmartEndpoint()
    /// A turn this long is ended even if the caller keeps talking.
    public var maximumUtterance: Duration = .seconds(20)
    /// Silence in the listening state before the caller is prompted again.
    public var noInputTimeout: Duration = .seconds(7)
    /// Reprompts before the bot says goodbye and hangs up.
    public var maximumReprompts = 2
    /// The longest call the bot takes part in.
    public var maximumCallDuration: Duration = .seconds(900)
    /// An utterance the recogniser found no words in is a no-match (the brain answers it) when it
    /// lasted this long; shorter ones are taken for noise and ignored.
    public var noMatchMinimumSpeech: Duration = .milliseconds(600)
    /// Whether caller speech may interrupt the bot.
    public var bargeIn = true
    /// Caller speech must last this long before it interrupts (backchannels and coughs are shorter).
    public var bargeInMinimumSpeech: Duration = .milliseconds(400)
    /// At the start of each bot utterance, speech does not interrupt for this long (the bot's own
    /// echo and the caller's last words overlap it).
    public var bargeInGrace: Duration = .milliseconds(300)
    /// Speech under the bot that lasts longer than this interrupts even if the recogniser heard
    /// only a backchannel word in it: acknowledgements are short, and steady noise taken for
    /// "yes" must not hold the bot paused for good.
    public var backchannelMaximum: Duration = .seconds(2)
    /// Words that acknowledge rather than interrupt ("mhm", "aham"); compared in lower case.
    public var backchannels: Set<String> = [
        "mhm", "mm", "hmm", "uh-huh", "uh huh", "yeah", "yes", "ok", "okay", "right", "sure",
        "aham", "uhum", "hum", "sei", "sim", "tá", "ta", "certo", "isso", "entendi", "ok ok",
    ]

    public init() {}
}
