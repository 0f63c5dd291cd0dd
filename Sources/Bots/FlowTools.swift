import Flows
import Foundation
import Tools

/// Runs flows' `tool` steps with the business tools of `TOOLS_FILE`.
public struct FlowTools: FlowToolRunner {
    let shelf: ToolShelf
    let runner: ToolRunner

    public init(shelf: ToolShelf, runner: ToolRunner) {
        self.shelf = shelf
        self.runner = runner
    }

    public func run(tool name: String, arguments: [String: String]) async -> FlowToolResult {
        guard let tool = shelf.catalog.tool(named: name) else { return .failure("tool \(name) is not configured") }
        switch await runner.run(tool, values: tool.arguments(fromText: arguments)) {
        case .succeeded(let result):
            // The chosen fields (or the whole answer's top level) as text for `{result.<field>}`.
            guard case .object(let fields)? = try? ToolValue.parse(Data(result.utf8)) else { return .success(["text": result]) }
            return .success(fields.mapValues(\.text))
        case .refused(let reason), .failed(let reason):
            return .failure(reason)
        }
    }
}
