import Flows
import Testing
import Voice

@Suite("Example flows")
struct ExampleFlowTests {
    struct Walk: Sendable, CustomTestStringConvertible {
        var file: String
        var language: String
        var inputs: [BrainInput]
        /// Words the last reply must contain.
        var saying: [String]
        var ending: CallAction?
        /// The state the call is left in.
        var state: String?

        var testDescription: String { "\(file) \(inputs)" }
    }

    static let dtmfWalks: [Walk] = [
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("1")], saying: ["Atendemos de segunda a sexta", "Posso ajudar"], state: "mais_alguma_coisa"),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("2")], saying: ["Rua das Flores"], state: "mais_alguma_coisa"),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("3"), .dtmf("1")], saying: ["clínica geral", "agenda"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("3"), .dtmf("2")], saying: ["pediatria"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("3"), .dtmf("9")], saying: ["Você ligou para a Clínica Vida"], state: "menu"),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("0")], saying: ["recepção"], ending: .transfer(destination: "PJSIP/1001")),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("1"), .dtmf("0")], saying: ["Até logo"], ending: .hangUp(reason: "caller done")),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.dtmf("2"), .dtmf("9")], saying: ["digite 1"], state: "menu"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("1")], saying: ["We are open Monday to Friday"], state: "anything_else"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("2")], saying: ["Main Street"], state: "anything_else"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("3"), .dtmf("1")], saying: ["general practice"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("3"), .dtmf("2")], saying: ["pediatrics"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("0")], saying: ["front desk"], ending: .transfer(destination: "PJSIP/1001")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.dtmf("1"), .dtmf("0")], saying: ["Goodbye"], ending: .hangUp(reason: "caller done")),
    ]

    static let speechWalks: [Walk] = [
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("opening hours")], saying: ["We are open"], state: "anything_else"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("address")], saying: ["Main Street"], state: "anything_else"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("book an appointment"), .speech("general practice")], saying: ["general practice"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("appointment"), .speech("pediatrics")], saying: ["pediatrics"], ending: .transfer(destination: "PJSIP/1002")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("appointment"), .speech("main menu")], saying: ["thank you for calling"], state: "menu"),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("front desk")], saying: ["put you through"], ending: .transfer(destination: "PJSIP/1001")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("hours"), .speech("no")], saying: ["Goodbye"], ending: .hangUp(reason: "caller done")),
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("hours"), .speech("yes")], saying: ["You can say opening hours"], state: "menu"),
        // Free text from a large-vocabulary recogniser; the longest phrase wins.
        Walk(file: "clinic-en.yaml", language: "en-US", inputs: [.speech("Uh, I'd like to MAKE an appointment, please.")], saying: ["general practice or pediatrics"], state: "appointment"),
        // pt-BR by speech, as with a recogniser provider configured; accents are forgiven.
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.speech("quero saber os horarios")], saying: ["Atendemos"], state: "mais_alguma_coisa"),
        Walk(file: "clinica.yaml", language: "pt-BR", inputs: [.speech("Marcar consulta"), .speech("pediatria")], saying: ["pediatria"], ending: .transfer(destination: "PJSIP/1002")),
    ]

    @Test(arguments: dtmfWalks + speechWalks)
    func walkReachesLeaf(_ walk: Walk) async throws {
        var call = FlowCall(flow: try ExampleFlows.load(walk.file), language: walk.language)
        let reply = try await call.walk(walk.inputs)
        for words in walk.saying {
            #expect(reply.text.contains(words), "\(reply.text)")
        }
        #expect(reply.ending == walk.ending)
        if let state = walk.state { #expect(call.state == state) }
    }

    @Test(arguments: [("clinica.yaml", "pt-BR", "Desculpe, não entendi.", "atendente"), ("clinic-en.yaml", "en-US", "Sorry, I did not understand.", "front desk")])
    func noMatchAsksAgainThenTransfers(file: String, language: String, apology: String, fallbackWord: String) async throws {
        var call = FlowCall(flow: try ExampleFlows.load(file), language: language)
        _ = try await call.send(.greeting)
        for _ in 1...2 {
            let reply = try await call.send(.dtmf("7"))
            #expect(reply.text.hasPrefix(apology))
            #expect(reply.ending == nil)
            #expect(call.state == "menu")
        }
        let last = try await call.send(.speech("pizza delivery"))
        #expect(last.text.contains(fallbackWord))
        #expect(last.ending == .transfer(destination: "PJSIP/1001"))
    }

    @Test func aMatchResetsTheNoMatchCount() async throws {
        var call = FlowCall(flow: try ExampleFlows.load("clinic-en.yaml"), language: "en-US")
        _ = try await call.send(.greeting)
        _ = try await call.send(.dtmf("7"))
        _ = try await call.send(.dtmf("7"))
        _ = try await call.send(.dtmf("3"))
        _ = try await call.send(.dtmf("9"))
        let reply = try await call.send(.dtmf("7"))
        #expect(reply.ending == nil, "two earlier misses in another visit must not count")
    }

    @Test(arguments: [("clinica.yaml", "pt-BR", "Não ouvi nada.", "Até logo"), ("clinic-en.yaml", "en-US", "I did not hear anything.", "Goodbye")])
    func noInputAsksAgainThenHangsUp(file: String, language: String, notice: String, farewell: String) async throws {
        var call = FlowCall(flow: try ExampleFlows.load(file), language: language)
        _ = try await call.send(.greeting)
        for attempt in 1...2 {
            let reply = try await call.send(.noInput(attempt: attempt))
            #expect(reply.text.hasPrefix(notice))
            #expect(reply.ending == nil)
        }
        let last = try await call.send(.noInput(attempt: 3))
        #expect(last.text.contains(farewell))
        #expect(last.ending == .hangUp(reason: "no input"))
    }

    @Test(arguments: [
        ("clinica.yaml", "pt-BR", 9, "Bom dia! Você ligou para a Clínica Vida."),
        ("clinica.yaml", "pt-BR", 15, "Boa tarde! Você ligou para a Clínica Vida."),
        ("clinica.yaml", "pt-BR", 22, "Boa noite! Você ligou para a Clínica Vida."),
        ("clinic-en.yaml", "en-US", 9, "Good morning, and thank you for calling Riverside Clinic."),
        ("clinic-en.yaml", "en-US", 2, "Good evening, and thank you for calling Riverside Clinic."),
    ])
    func greetingFillsTimeOfDayAndFlowVariables(file: String, language: String, hour: Int, opening: String) async throws {
        var call = FlowCall(flow: try ExampleFlows.load(file), language: language, hour: hour)
        let reply = try await call.send(.greeting)
        #expect(reply.text.hasPrefix(opening), "\(reply.text)")
    }

    @Test func hintsFollowTheCurrentState() async throws {
        var call = FlowCall(flow: try ExampleFlows.load("clinic-en.yaml"), language: "en-US")
        _ = try await call.send(.greeting)
        let menu = call.brain.hints(for: call.conversation)
        #expect(menu.language == "en-US")
        #expect(menu.phrases.contains("opening hours") && menu.phrases.contains("front desk"))
        #expect(!menu.phrases.contains("pediatrics"))
        _ = try await call.send(.speech("appointment"))
        let appointment = call.brain.hints(for: call.conversation)
        #expect(appointment.phrases.contains("pediatrics"))
        #expect(!appointment.phrases.contains("front desk"))
    }

    @Test func stateChangesComeBeforeTheText() async throws {
        var call = FlowCall(flow: try ExampleFlows.load("clinic-en.yaml"), language: "en-US")
        _ = try await call.send(.greeting)
        var outputs: [BrainOutput] = []
        for try await output in call.brain.respond(to: .dtmf("3"), in: call.conversation) { outputs.append(output) }
        let firstText = try #require(outputs.firstIndex { if case .text = $0 { true } else { false } })
        let stateChange = try #require(outputs.firstIndex(of: .action(.setVariable(name: FlowBrain.stateVariable, value: "appointment"))))
        #expect(stateChange < firstText)
    }

    @Test func goodbyeSaysTheFlowsFarewell() async throws {
        var call = FlowCall(flow: try ExampleFlows.load("clinica.yaml"), language: "pt-BR")
        _ = try await call.send(.greeting)
        let reply = try await call.send(.goodbye(reason: "maximum duration"))
        #expect(reply.text == "Obrigado por ligar para a Clínica Vida. Até logo!")
    }
}
