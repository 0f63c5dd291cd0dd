import Testing
import Voice
@testable import Providers

@Suite("Chat history")
struct ChatHistoryTests {
    func history(turns: Int = 20, tokens: Int = 3000) -> ChatHistory {
        ChatHistory(systemPrompt: "SYSTEM", maxTurns: turns, maxTokens: tokens)
    }

    func conversation(_ count: Int, length: Int = 10) -> Conversation {
        Conversation(language: "en-US", messages: (0..<count).map { index in
            .init(role: index.isMultiple(of: 2) ? .caller : .bot, text: "m\(index)" + String(repeating: "x", count: length))
        })
    }

    @Test func dropsTheOldestTurnsBeyondTheTurnBudgetAndKeepsTheSystemPrompt() {
        let messages = history(turns: 4).messages(for: .speech("latest"), in: conversation(10))
        #expect(messages.count == 5)
        #expect(messages[0] == .system("SYSTEM"))
        #expect(messages.last == .user("latest"))
        #expect(messages[1].content?.hasPrefix("m7") == true)
    }

    @Test func dropsTheOldestTurnsBeyondTheTokenBudget() {
        // Each message: 400 characters ≈ 104 estimated tokens.
        let messages = history(tokens: 250).messages(for: .speech("now"), in: conversation(10, length: 400))
        #expect(messages.count == 4)
        #expect(messages[1].content?.hasPrefix("m8") == true && messages[2].content?.hasPrefix("m9") == true)
    }

    @Test func theNewestMessageGoesEvenOverBudget() {
        let long = String(repeating: "word ", count: 1000)
        let messages = history(tokens: 100).messages(for: .speech(long), in: conversation(4))
        #expect(messages == [.system("SYSTEM"), .user(long)])
    }

    @Test func anUtteranceAlreadyInTheConversationIsNotRepeated() {
        let said = Conversation(language: "en-US", messages: [.init(role: .caller, text: "hello")])
        #expect(history().messages(for: .speech("hello"), in: said) == [.system("SYSTEM"), .user("hello")])
    }

    @Test func interruptedBotMessagesAreWhatTheCallerHeard() {
        let cut = Conversation(language: "en-US", messages: [.init(role: .caller, text: "hi"), .init(role: .bot, text: "Hello, how can", interrupted: true)])
        let messages = history().messages(for: .speech("wait"), in: cut)
        #expect(messages[2] == .assistant("Hello, how can…"))
    }

    @Test func systemNotesAndVariablesJoinTheSinglePrompt() {
        let noted = Conversation(language: "pt-BR", messages: [.init(role: .system, text: "Caller is a patient.")], variables: ["name": "Ana", "id": "7"])
        let messages = history().messages(for: .greeting, in: noted)
        #expect(messages.count == 2)
        #expect(messages[0] == .system("SYSTEM\n\nCaller is a patient.\n\nCall variables: id=7, name=Ana"))
        #expect(messages[1].role == "user" && messages[1].content?.contains("Greet") == true)
    }

    @Test(arguments: [
        (BrainInput.dtmf("12#"), "12#"), (.noInput(attempt: 2), "silence number 2"), (.goodbye(reason: "maximum duration"), "maximum duration"),
    ])
    func eventsBecomeUserNotes(input: BrainInput, fragment: String) {
        let messages = history().messages(for: input, in: Conversation(language: "en-US"))
        #expect(messages.last?.role == "user" && messages.last?.content?.contains(fragment) == true)
    }

    @Test(arguments: [("pt-BR", "Você é"), ("pt", "Você é"), ("en-US", "You are"), ("es-ES", "You are")])
    func defaultPromptFollowsTheLanguage(language: String, opening: String) {
        #expect(PhoneAgentPrompt.prompt(for: language, overrides: [:]).hasPrefix(opening))
        #expect(PhoneAgentPrompt.prompt(for: language, overrides: ["pt": "P", "en": "E", "es": "S"]).count == 1)
    }
}
