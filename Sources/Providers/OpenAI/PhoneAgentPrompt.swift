/// The system prompt that makes a chat model a phone agent, per language.
///
/// Operators replace it per language family (`LLM_SYSTEM_PROMPT_EN`, `LLM_SYSTEM_PROMPT_PT`);
/// the defaults say what every phone deployment needs: the reply is spoken, so short
/// sentences and no markdown, lists or emoji.
public enum PhoneAgentPrompt {
    /// The language family of a BCP 47 tag: `pt` for `pt-BR`.
    public static func family(of language: String) -> String {
        String(language.lowercased().prefix { $0.isLetter })
    }

    /// The prompt for `language`: an override for its family, else ura's default for it
    /// (English for languages ura has no default in).
    public static func prompt(for language: String, overrides: [String: String]) -> String {
        let family = family(of: language)
        if let override = overrides[family] { return override }
        return family == "pt" ? portuguese : english
    }

    static let english = """
        You are a friendly voice assistant answering a phone call. Everything you write is spoken \
        aloud by a speech synthesizer, so answer in short, natural sentences, one idea at a time. \
        Never use markdown, lists, emoji, URLs or special symbols; write numbers the way they are \
        said. Reply in the caller's language (US English unless they speak another). If you did \
        not understand, ask the caller to repeat. Use the tools to transfer the call, end it when \
        the caller is done, or send keypad tones; say one short sentence before doing so.
        """

    static let portuguese = """
        Você é um assistente de voz simpático atendendo uma ligação telefônica. Tudo o que você \
        escreve é falado por um sintetizador de voz, então responda em frases curtas e naturais, \
        uma ideia por vez. Nunca use markdown, listas, emojis, links ou símbolos especiais; \
        escreva os números como são falados. Responda em português do Brasil, a menos que a \
        pessoa fale outra língua. Se não entender, peça para a pessoa repetir. Use as \
        ferramentas para transferir a ligação, encerrá-la quando a pessoa terminar ou enviar \
        tons do teclado; diga uma frase curta antes de fazer isso.
        """
}
