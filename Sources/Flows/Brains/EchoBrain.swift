public import Voice

/// The first MVP bot: repeats what the recogniser understood.
///
/// Greets, answers speech with "You said …" / "Você disse …" (Portuguese when the call's
/// language is `pt*`), reads DTMF keys back, asks whether the caller is there on silence and
/// says goodbye. Useful to hear what the recogniser makes of a line. Stateless, so one
/// instance serves every call; each turn is computed at once.
public struct EchoBrain: DialogBrain {
    public let name = "echo"

    /// The echo bot.
    public init() {}

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        let text = reply(to: input, language: conversation.language)
        return AsyncThrowingStream { continuation in
            continuation.yield(.text(text))
            continuation.finish()
        }
    }

    /// The reply to `input` in `language`.
    public func reply(to input: BrainInput, language: String) -> String {
        let portuguese = language.lowercased().hasPrefix("pt")
        switch input {
        case .greeting:
            return portuguese ? "Olá! Fale algo e eu repito." : "Hello! Say something and I will repeat it."
        case .speech(let text):
            let said = text.trimmingWhitespace()
            if said.isEmpty {
                return portuguese ? "Não entendi. Pode repetir?" : "I did not catch that. Could you say it again?"
            }
            return portuguese ? "Você disse: \(said)." : "You said: \(said)."
        case .dtmf(let digits):
            let keys = digits.map(String.init).joined(separator: " ")
            return portuguese ? "Você digitou \(keys)." : "You pressed \(keys)."
        case .noInput:
            return portuguese ? "Você ainda está aí?" : "Are you still there?"
        case .goodbye:
            return portuguese ? "Até logo!" : "Goodbye!"
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
