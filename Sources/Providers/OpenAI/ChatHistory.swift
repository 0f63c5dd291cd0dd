import Voice

/// Builds the messages of one chat request from the call's conversation, within a budget.
///
/// The system prompt always goes first. Then come the newest turns that fit both the turn
/// budget (caller and bot messages counted singly) and the token budget (estimated at four
/// characters a token, plus a few per message); the oldest go first. A bot message cut by
/// barge-in is sent as what the caller heard, marked with an ellipsis so the model knows it
/// was interrupted. The turn's input comes last as a user message, unless the conversation
/// already ends with that same caller utterance.
struct ChatHistory {
    var systemPrompt: String
    var maxTurns: Int
    var maxTokens: Int

    static func estimatedTokens(_ text: String) -> Int { text.utf8.count / 4 + 4 }

    func messages(for input: BrainInput, in conversation: Conversation) -> [ChatWire.Message] {
        var history = conversation.messages.compactMap(Self.message(from:))
        if let current = Self.inputText(input) {
            if case .speech(let said) = input, let last = conversation.messages.last, last.role == .caller, last.text == said {
                // The pipeline already recorded this utterance in the conversation.
            } else {
                history.append(.user(current))
            }
        }
        var kept: [ChatWire.Message] = []
        var tokens = 0
        for message in history.reversed() {
            let cost = Self.estimatedTokens(message.content ?? "")
            // The newest message is always sent, even when it alone is over budget.
            if !kept.isEmpty, kept.count >= maxTurns || tokens + cost > maxTokens { break }
            kept.append(message)
            tokens += cost
        }
        // Several chat templates (llama.cpp, Ollama) accept one leading system message only,
        // so the conversation's system notes and the call's variables join the prompt.
        var system = [systemPrompt] + conversation.messages.filter { $0.role == .system }.map(\.text)
        if !conversation.variables.isEmpty {
            system.append("Call variables: " + conversation.variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        return [.system(system.joined(separator: "\n\n"))] + kept.reversed()
    }

    private static func message(from message: Conversation.Message) -> ChatWire.Message? {
        switch message.role {
        case .caller: .user(message.text)
        case .bot: .assistant(message.interrupted ? message.text + "…" : message.text)
        case .system: nil
        }
    }

    /// What the model is told starts the turn; nil when the conversation already holds it.
    static func inputText(_ input: BrainInput) -> String? {
        switch input {
        case .greeting: "(The call was just answered. Greet the caller briefly and ask how you can help.)"
        case .speech(let text): text
        case .dtmf(let digits): "(The caller pressed the keys: \(digits))"
        case .noInput(let attempt): "(The caller has said nothing; silence number \(attempt). Prompt them briefly.)"
        case .goodbye(let reason): "(The call is ending: \(reason). Say a short goodbye.)"
        }
    }
}
