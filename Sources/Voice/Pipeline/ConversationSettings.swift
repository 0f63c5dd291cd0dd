/// How one call's conversation behaves.
public struct ConversationSettings: Sendable {
    public var turn = TurnSettings()
    public var detector = SpeechDetector.Settings()
    /// BCP 47 language of the call (`pt-BR`, `en-US`).
    public var language = "en-US"
    /// Bot audio queued ahead of the wire; small keeps a pause or barge-in quick (what is queued
    /// still plays) and the heard text exact.
    public var framesAhead = 3
    /// Said when the brain or synthesis fails, per language prefix (`pt`, `en`).
    public var apologies: [String: String] = [
        "pt": "Desculpe, tive um problema agora. Pode repetir, por favor?",
        "en": "Sorry, I had a problem just now. Could you say that again?",
    ]

    public init() {}

    var apology: String {
        apologies[String(language.prefix(2)).lowercased()] ?? apologies["en"] ?? "Sorry."
    }
}
