import Flows
import Foundation
import Voice

/// A call driven through a flow brain the way the pipeline does: each turn's setVariable
/// actions go into the conversation before the next turn.
struct FlowCall {
    struct Reply {
        var text: String
        var actions: [CallAction]

        /// The transfer or hang-up the turn ended with, if any.
        var ending: CallAction? {
            actions.last { if case .setVariable = $0 { false } else { true } }
        }
    }

    let brain: FlowBrain
    var conversation: Conversation

    init(flow: Flow, language: String, callerNumber: String? = nil, hour: Int = 10) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = calendar.date(from: DateComponents(year: 2026, month: 11, day: 26, hour: hour))!
        brain = FlowBrain(flow: flow, timeZone: calendar.timeZone, now: { now })
        conversation = Conversation(language: language, callerNumber: callerNumber)
    }

    var state: String? { conversation.variables[FlowBrain.stateVariable] }

    mutating func send(_ input: BrainInput) async throws -> Reply {
        var reply = Reply(text: "", actions: [])
        for try await output in brain.respond(to: input, in: conversation) {
            switch output {
            case .text(let text):
                reply.text += text
            case .action(let action):
                if case .setVariable(let name, let value) = action { conversation.variables[name] = value }
                reply.actions.append(action)
            }
        }
        conversation.messages.append(.init(role: .bot, text: reply.text))
        return reply
    }

    /// Greets, then sends each input in turn; returns the last reply.
    mutating func walk(_ inputs: [BrainInput]) async throws -> Reply {
        var reply = try await send(.greeting)
        for input in inputs { reply = try await send(input) }
        return reply
    }
}

enum ExampleFlows {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("flows")

    static func load(_ name: String) throws -> Flow {
        try FlowLoader.load(path: directory.appendingPathComponent(name).path)
    }
}
