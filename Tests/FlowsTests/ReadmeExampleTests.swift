import Flows
import Foundation
import Testing
import Voice

@Suite("README")
struct ReadmeExampleTests {
    /// The flow example in README.md's offline section, so the documentation cannot drift.
    static func example() throws -> String {
        let readme = try String(contentsOf: ExampleFlows.directory.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Offline bot and URA flows"))
        let start = try #require(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    @Test func theDocumentedExampleLoadsAndRuns() async throws {
        let flow = try FlowLoader.parse(yaml: try Self.example(), file: "README.md")
        var call = FlowCall(flow: flow, language: "en-US", hour: 15)
        #expect(try await call.send(.greeting).text.hasPrefix("Good afternoon, thank you for calling Riverside Clinic."))
        let hours = try await call.send(.speech("opening hours"))
        #expect(hours.text == "We are open eight to six. Goodbye!")
        #expect(hours.ending == .hangUp(reason: "caller done"))

        var transfer = FlowCall(flow: flow, language: "en-US")
        let reply = try await transfer.walk([.dtmf("0")])
        #expect(reply.actions.contains(.setVariable(name: "reason", value: "0")))
        #expect(reply.ending == .transfer(destination: "PJSIP/1001"))
    }
}
