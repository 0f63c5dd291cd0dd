import Flows
import Foundation
import Synchronization
import Testing
import Voice

/// Flows act: a `tool` step calls the business's API and branches on how it went.
@Suite struct FlowToolStepTests {
    /// Answers every call the same way and remembers what it was asked.
    final class FakeTools: FlowToolRunner {
        let result: FlowToolResult
        let calls = Mutex<[(String, [String: String])]>([])
        let gate: AsyncStream<Void>?

        init(_ result: FlowToolResult, gate: AsyncStream<Void>? = nil) {
            self.result = result
            self.gate = gate
        }

        func run(tool: String, arguments: [String: String]) async -> FlowToolResult {
            calls.withLock { $0.append((tool, arguments)) }
            if let gate { for await _ in gate { break } }
            return result
        }
    }

    static let booked = FlowToolResult.success(["when": "Monday at nine", "doctor": "Dr. Reis", "code": "A 17"])

    func call(_ file: String, language: String, tools: (any FlowToolRunner)?) throws -> (FlowBrain, Conversation) {
        (FlowBrain(flow: try ExampleFlows.load(file), tools: tools), Conversation(language: language, callerNumber: "5511988887777"))
    }

    /// Sends the inputs in turn, applying each turn's variables; returns the last turn's outputs.
    func walk(_ brain: FlowBrain, _ conversation: inout Conversation, _ inputs: [BrainInput]) async throws -> [BrainOutput] {
        var last: [BrainOutput] = []
        for input in [.greeting] + inputs {
            last = []
            for try await output in brain.respond(to: input, in: conversation) {
                last.append(output)
                if case .action(.setVariable(let name, let value)) = output { conversation.variables[name] = value }
            }
        }
        return last
    }

    static func text(_ outputs: [BrainOutput]) -> String {
        outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
    }

    @Test(arguments: [
        ("clinic-en.yaml", "en-US", "general practice", "You are booked for Monday at nine, with Dr. Reis. Your confirmation code is A 17.", "anything_else"),
        ("clinica.yaml", "pt-BR", "clínica geral", "Sua consulta ficou para Monday at nine, com Dr. Reis. O código de confirmação é A 17.", "mais_alguma_coisa"),
    ])
    func theShippedFlowsBookThroughTheTool(file: String, language: String, specialty: String, confirmation: String, next: String) async throws {
        let tools = FakeTools(Self.booked)
        var (brain, conversation) = try call(file, language: language, tools: tools)
        let outputs = try await walk(brain, &conversation, [.dtmf("3"), .dtmf("1")])
        #expect(Self.text(outputs).contains(confirmation), "\(Self.text(outputs))")
        #expect(conversation.variables[FlowBrain.stateVariable] == next)
        let calls = tools.calls.withLock { $0 }
        #expect(calls.count == 1)
        #expect(calls.first?.0 == "book_appointment")
        #expect(calls.first?.1 == ["specialty": specialty, "phone": "5511988887777"], "the caller's number as it is, not spelled out")
    }

    @Test(arguments: [FlowToolResult.failure("HTTP 500"), nil])
    func aFailingOrMissingToolTakesTheErrorSteps(result: FlowToolResult?) async throws {
        var (brain, conversation) = try call("clinic-en.yaml", language: "en-US", tools: result.map { FakeTools($0) })
        let outputs = try await walk(brain, &conversation, [.dtmf("3"), .dtmf("2")])
        #expect(Self.text(outputs).contains("I cannot reach our booking system right now"))
        #expect(outputs.last == .action(.transfer(destination: "PJSIP/1002")))
    }

    @Test func whatIsSaidBeforeTheToolIsHeardWhileItRuns() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let tools = FakeTools(Self.booked, gate: gate)
        var (brain, conversation) = try call("clinic-en.yaml", language: "en-US", tools: tools)
        _ = try await walk(brain, &conversation, [.dtmf("3")])
        var outputs = brain.respond(to: .dtmf("1"), in: conversation).makeAsyncIterator()
        var early = ""
        while !early.contains("Let me book"), let output = try await outputs.next() {
            if case .text(let text) = output { early += text }
        }
        #expect(early.contains("Let me book the next free appointment"), "said before the tool answered")
        #expect(!early.contains("You are booked"))
        open.yield()
        var rest = ""
        while let output = try await outputs.next() { if case .text(let text) = output { rest += text } }
        #expect(rest.contains("You are booked"))
    }

    @Test(arguments: [
        ("say: Code {result.code}.", "{result.code} is not a variable"),
        ("hangup: done", "on_error: say what happens"),
    ])
    func toolStepsAreChecked(change: String, problem: String) throws {
        var text = """
            flow: t
            languages: [en-US]
            start: a
            states:
              a:
                prompt: Hi.
                then:
                  - tool:
                      name: lookup
                      on_success:
                        - say: Found {result.code}.
                        - hangup: done
                      on_error:
                        - say: Sorry.
                        - hangup: failed
            """
        if change.hasPrefix("say:") {
            text = text.replacingOccurrences(of: "prompt: Hi.", with: "prompt: Hi {result.code}.")
        } else {
            text = text.split(separator: "\n").filter { !$0.contains("on_error") && !$0.contains("Sorry.") && !$0.contains("failed") }
                .joined(separator: "\n")
        }
        let error = try #require(throws: FlowLoadError.self) { try FlowLoader.parse(yaml: text, file: "t.yaml") }
        #expect(error.problems.contains { $0.message.contains(problem) }, "\(error.problems)")
    }
}
