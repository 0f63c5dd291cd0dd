import Flows
import Testing

@Suite("Flow validation")
struct FlowValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var line: Int
        var problem: String
        var testDescription: String { name }
    }

    static let header = """
        flow: test
        languages: [en-US]
        start: menu
        states:

        """

    static let cases: [Case] = [
        Case(name: "start names a missing state", yaml: """
            flow: test
            languages: [en-US]
            start: welcome
            states:
              menu:
                prompt: Hi.
                then: [hangup: done]
            """, line: 3, problem: "start: no state named \"welcome\""),
        Case(name: "goto names a missing state", yaml: header + """
              menu:
                prompt: Press 1.
                inputs:
                  - digits: "1"
                    goto: nowhere
            """, line: 9, problem: "goto: no state named \"nowhere\""),
        Case(name: "bad YAML", yaml: header + """
              menu:
                prompt: [Press 1.
                inputs: x
            """, line: 7, problem: "bad YAML"),
        Case(name: "duplicate digits", yaml: header + """
              menu:
                prompt: Press 1.
                inputs:
                  - digits: "1"
                    hangup: a
                  - digits: "1"
                    hangup: b
            """, line: 10, problem: "digits \"1\" already select input 1"),
        Case(name: "duplicate phrases", yaml: header + """
              menu:
                prompt: Say hours.
                inputs:
                  - phrases: [Opening hours]
                    hangup: a
                  - phrases: [opening HOURS!]
                    hangup: b
            """, line: 10, problem: "phrase \"opening HOURS!\" already selects input 1"),
        Case(name: "empty prompt", yaml: header + """
              menu:
                prompt: "  "
                then: [hangup: done]
            """, line: 6, problem: "prompt is empty"),
        Case(name: "missing prompt", yaml: header + """
              menu:
                then: [hangup: done]
            """, line: 6, problem: "state menu has no prompt"),
        Case(name: "unknown key", yaml: header + """
              menu:
                promt: Hi.
                prompt: Hi.
                then: [hangup: done]
            """, line: 6, problem: "unknown key \"promt\""),
        Case(name: "unknown variable", yaml: header + """
              menu:
                prompt: Hello {nmae}.
                then: [hangup: done]
            """, line: 6, problem: "{nmae} is not a variable"),
        Case(name: "prompt lacks a declared language", yaml: """
            flow: test
            languages: [en-US, pt-BR]
            start: menu
            states:
              menu:
                prompt: {en-US: Hi.}
                then: [hangup: done]
            """, line: 6, problem: "has no text for pt-BR"),
        Case(name: "step after goto", yaml: header + """
              menu:
                prompt: Hi.
                then:
                  - goto: menu
                  - say: never heard
            """, line: 9, problem: "comes after a step that leaves"),
        Case(name: "input without digits or phrases", yaml: header + """
              menu:
                prompt: Hi.
                inputs:
                  - hangup: done
            """, line: 8, problem: "has neither digits nor phrases"),
        Case(name: "not DTMF", yaml: header + """
              menu:
                prompt: Hi.
                inputs:
                  - digits: "1x"
                    hangup: done
            """, line: 8, problem: "is not DTMF keys"),
        Case(name: "dead-end state", yaml: header + """
              menu:
                prompt: Hi.
            """, line: 6, problem: "could never leave it"),
        Case(name: "then that only talks", yaml: header + """
              menu:
                prompt: Hi.
                then: [say: Bye.]
            """, line: 6, problem: "its then does not leave"),
        Case(name: "bad retries", yaml: header + """
              menu:
                prompt: Hi.
                then: [hangup: done]
                no_match: {retries: many}
            """, line: 8, problem: "\"many\" is not a whole number"),
        Case(name: "reserved variable", yaml: header + """
              menu:
                prompt: Hi.
                inputs:
                  - digits: "1"
                    set: {flow.state: menu}
            """, line: 9, problem: "reserved"),
    ]

    @Test(arguments: cases)
    func problemNamesFileLineAndCause(_ example: Case) throws {
        let error = try #require(throws: FlowLoadError.self) { try FlowLoader.parse(yaml: example.yaml, file: "flows/test.yaml") }
        let problem = try #require(error.problems.first { $0.message.contains(example.problem) }, "\(error)")
        #expect(problem.line == example.line, "\(error)")
        #expect(error.description.contains("flows/test.yaml:\(example.line):"))
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let yaml = Self.header + """
              menu:
                prompt: Hello {who}.
                inputs:
                  - digits: "1"
                    goto: nowhere
                  - digits: "1"
                    goto: elsewhere
            """
        let error = try #require(throws: FlowLoadError.self) { try FlowLoader.parse(yaml: yaml, file: "f.yaml") }
        #expect(error.problems.count == 4, "\(error)")
        #expect(error.problems.map(\.line) == error.problems.map(\.line).sorted())
    }

    @Test func missingFileIsAProblemToo() throws {
        let error = try #require(throws: FlowLoadError.self) { try FlowLoader.load(path: "/nonexistent/flow.yaml") }
        #expect(error.file == "/nonexistent/flow.yaml")
        #expect(error.problems.first?.message.contains("cannot be read") == true)
    }

    @Test func gotoLoopThroughTalkingStatesIsAnError() async throws {
        let flow = try FlowLoader.parse(yaml: Self.header + """
              menu:
                prompt: A.
                then: [goto: other]
              other:
                prompt: B.
                then: [goto: menu]
            """, file: "loop.yaml")
        await #expect(throws: FlowRunError.self) { try await FlowBrain(flow: flow).turn(for: .greeting, in: .init(language: "en-US")) }
    }
}
