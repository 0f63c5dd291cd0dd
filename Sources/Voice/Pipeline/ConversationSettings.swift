/// How one call's conversation behaves.
public struct ConversationSettings: Sendable {
    public var turn = TurnSettings()
    public var detector = SpeechDetector.Settings()
    /// BCP 47 language of the call (`pt-BR`, `en-US`).
    public var language = "en-US"
    /// Bot audio queued ahead of the wire; small keeps a pause or barge-in quick (what is queued
    /// still plays) and the heard text exact.
    public var framesAhead = 3
    /// Takes the bot's echo out of the caller's audio (WebRTC's canceller) before the speech
    /// detector and the recogniser hear it. Lines with little return loss (analog gateways)
    /// need it; on others its suppression dims a caller who talks over the bot (a barge-in now
    /// and then lost at 100 calls at once), so it is off unless asked for.
    public var echoCancellation = false
    /// Whether what the caller said or keyed may appear in logs (`LOG_TRANSCRIPTS`); off, logs
    /// show only the kind of each turn.
    public var logTranscripts = false
    /// What the bot does when the brain or synthesis fails a reply.
    public var onProviderFailure = ProviderFailurePolicy()
    /// Said when the brain or synthesis fails, per language prefix (`pt`, `en`).
    public var apologies: [String: String] = [
        "pt": "Desculpe, tive um problema agora. Pode repetir, por favor?",
        "en": "Sorry, I had a problem just now. Could you say that again?",
    ]
    /// Said before ``ProviderFailurePolicy/Action/transfer(destination:)``, per language prefix.
    public var handoverLines: [String: String] = [
        "pt": "Um momento, vou transferir você para um atendente.",
        "en": "One moment, I'll transfer you to someone who can help.",
    ]
    /// Said before ``ProviderFailurePolicy/Action/hangUp``, and when the bot's own closing words
    /// fail (the call ends either way), per language prefix.
    public var failureGoodbyes: [String: String] = [
        "pt": "Desculpe, estamos com um problema técnico. Por favor, ligue mais tarde. Até logo.",
        "en": "Sorry, we are having technical problems. Please call again later. Goodbye.",
    ]

    public init() {}

    var apology: String { line(apologies, fallback: "Sorry.") }
    var handoverLine: String { line(handoverLines, fallback: "One moment.") }
    var failureGoodbye: String { line(failureGoodbyes, fallback: "Goodbye.") }

    /// The call's language's entry of `lines`, else English's.
    private func line(_ lines: [String: String], fallback: String) -> String {
        lines[String(language.prefix(2)).lowercased()] ?? lines["en"] ?? fallback
    }
}
