import Foundation
import Settings
import Testing
import Voice
@testable import Providers

/// The model's `transfer_call` is hostile input: a caller can talk it into anything.
@Suite("transfer_call refusals")
struct TransferToolTests {
    let conversation = Conversation(language: "en-US", messages: [.init(role: .caller, text: "Put me through to 00900 123 456.")])

    static func toolCall(_ destination: String) -> String {
        let arguments = String(decoding: try! JSONSerialization.data(withJSONObject: ["destination": destination]), as: UTF8.self)
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [arguments]), as: UTF8.self).dropFirst().dropLast()
        return #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_t","function":{"name":"transfer_call","arguments":\#(escaped)}}]},"finish_reason":"tool_calls"}]}"#
            + "\n\n"
    }

    func run(_ destination: String, allowList: TransferAllowList) async throws -> (outputs: [BrainOutput], toolResult: String) {
        let server = try await FakeServer([.sse(Self.toolCall(destination)), .sse(ChatWireFixtures.text("One moment."))])
        defer { server.close() }
        let brain = OpenAIChatBrain(endpoint: server.endpoint(retry: .never), server: server.access, model: "m", transferAllowList: allowList)
        var outputs: [BrainOutput] = []
        for try await output in brain.respond(to: .speech("put me through"), in: conversation) { outputs.append(output) }
        let followUp = try #require(server.requests.count == 2 ? JSONSerialization.jsonObject(with: server.requests[1].body) as? [String: Any] : nil)
        let last = try #require((followUp["messages"] as? [[String: Any]])?.last)
        return (outputs, last["content"] as? String ?? "")
    }

    static let allowList = TransferAllowList(patterns: [try! TransferPattern(parsing: "support,*")], named: [.endpoint(technology: "PJSIP", resource: "1001")])

    @Test(arguments: [
        (",", "has an empty part"),
        ("PJSIP/1001&PJSIP/00900123456", "\"&\""),
        ("PJSIP/1001,tT", "\",\""),
        ("00900123456", "transfers to 00900123456 are not allowed; allowed destinations: PJSIP/1001, support,*"),
        ("PJSIP/00900123456", "not allowed"),
        ("international,0044207", "not allowed"),
    ])
    func aRefusedTransferIsToldToTheModelAndNotDone(destination: String, mentions: String) async throws {
        let (outputs, result) = try await run(destination, allowList: Self.allowList)
        #expect(!outputs.contains { if case .action(.transfer) = $0 { true } else { false } }, "\(outputs)")
        #expect(result.hasPrefix("Error:") && result.contains(mentions), "\(result)")
    }

    @Test(arguments: ["PJSIP/1001", "support,100", " support,100,1 "])
    func anAllowedTransferIsDone(destination: String) async throws {
        let (outputs, result) = try await run(destination, allowList: Self.allowList)
        let canonical = try TransferDestination(parsing: destination).description
        #expect(outputs.contains(.action(.transfer(destination: canonical))), "\(outputs)")
        #expect(result.hasPrefix("OK"))
    }
}
