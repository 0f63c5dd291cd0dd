import Flows
import Settings
import Testing
import Voice

@Suite("Prompts, echo bot and brain choice")
struct PromptAndEchoTests {
    static let flowWithVariables = """
        flow: vars
        languages: [en-US, pt-BR]
        start: ask
        variables: {team: the front desk}
        states:
          ask:
            prompt:
              en-US: You are calling from {caller_number}. Press 1 or 2.
              pt-BR: Você ligou de {caller_number}. Digite 1 ou 2.
            inputs:
              - digits: "1"
                set: {choice: "option {input}"}
                goto: done
              - digits: "2"
                goto: done
          done:
            prompt:
              en-US: You chose {choice}; {team} will call back.
              pt-BR: Você escolheu {choice}; {team} vai retornar.
            then: [hangup: done]
        """

    @Test(arguments: [
        ("en-US", "5511987", "You are calling from 5 5 1 1 9 8 7. Press 1 or 2."),
        ("en-US", nil, "You are calling from an unknown number. Press 1 or 2."),
        ("pt-BR", "1002", "Você ligou de 1 0 0 2. Digite 1 ou 2."),
        ("pt-PT", nil, "Você ligou de número não identificado. Digite 1 ou 2."),
    ] as [(String, String?, String)])
    func callerNumberAndLanguage(language: String, caller: String?, expected: String) async throws {
        let flow = try FlowLoader.parse(yaml: Self.flowWithVariables, file: "vars.yaml")
        var call = FlowCall(flow: flow, language: language, callerNumber: caller)
        #expect(try await call.send(.greeting).text == expected)
    }

    @Test func setVariablesReachLaterPromptsAndTheCall() async throws {
        let flow = try FlowLoader.parse(yaml: Self.flowWithVariables, file: "vars.yaml")
        var call = FlowCall(flow: flow, language: "en-US")
        call.conversation.variables["team"] = "Dr. Lima"
        let reply = try await call.walk([.dtmf("1")])
        #expect(reply.text == "You chose option 1; Dr. Lima will call back.")
        #expect(reply.actions.contains(.setVariable(name: "choice", value: "option 1")))
        #expect(call.conversation.variables["choice"] == "option 1")
        #expect(reply.ending == .hangUp(reason: "done"))
    }

    @Test(arguments: [
        (BrainInput.greeting, "en-US", "Hello! Say something and I will repeat it."),
        (.speech("book an appointment"), "en-US", "You said: book an appointment."),
        (.speech("  quero marcar consulta "), "pt-BR", "Você disse: quero marcar consulta."),
        (.speech(""), "en-US", "I did not catch that. Could you say it again?"),
        (.dtmf("12#"), "pt-BR", "Você digitou 1 2 #."),
        (.dtmf("5"), "en-GB", "You pressed 5."),
        (.noInput(attempt: 1), "pt-BR", "Você ainda está aí?"),
        (.goodbye(reason: "no input"), "en-US", "Goodbye!"),
    ])
    func echoRepeatsWhatItGot(input: BrainInput, language: String, expected: String) async throws {
        var text = ""
        for try await output in EchoBrain().respond(to: input, in: Conversation(language: language)) {
            if case .text(let piece) = output { text += piece }
        }
        #expect(text == expected)
    }

    @Test func botChoiceBuildsTheOfflineBrains() throws {
        let library = try FlowLibrary.load(directory: ExampleFlows.directory.path)
        #expect(try OfflineBrains.brain(for: .echo, in: library)?.name == "echo")
        #expect(try OfflineBrains.brain(for: .flow(name: "clinica"), in: library)?.name == "flow:clinica")
        #expect(try OfflineBrains.brain(for: .loopback, in: library) == nil)
        #expect(throws: OfflineBrains.UnknownFlow.self) { try OfflineBrains.brain(for: .flow(name: "nonexistent"), in: library) }
    }

    @Test(arguments: [
        ("I'd like the opening hours please", ["hours", "opening hours", "address"], 1),
        ("Endereço!", ["horários", "endereco"], 1),
        ("pizza", ["hours", "address"], nil),
        ("showers", ["hours"], nil),
    ] as [(String, [String], Int?)])
    func phraseMatching(transcript: String, phrases: [String], expected: Int?) {
        #expect(PhraseMatcher.bestMatch(in: transcript, among: phrases) == expected)
    }
}
