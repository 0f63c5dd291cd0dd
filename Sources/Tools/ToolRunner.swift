import Foundation
import HTTP
import Logging
import Telemetry

/// Carries out the model's calls of business tools: checks the arguments against the tool's
/// schema before any request, sends the request, and turns the answer into the short text the
/// model gets back.
///
/// Every failure comes back as a ``ToolOutcome/failed(_:)`` the model can explain to the caller
/// ("the booking system did not answer"): a tool never throws into the conversation.
public struct ToolRunner: Sendable {
    /// The most of an answer read; a larger one is a failure (a service gone wrong, or a hostile one).
    public static let maximumAnswerBytes = 64 * 1024
    /// The most of a result the model is given, in characters.
    public static let maximumResultCharacters = 4000

    let http: HTTPClient
    let metrics: URAMetrics
    let logger: Logger
    /// Wait after a failed try, doubled each time.
    public var backoff: Duration = .milliseconds(200)

    public init(http: HTTPClient, metrics: URAMetrics = URAMetrics(), logger: Logger = Logger(label: "ura.tools")) {
        self.http = http
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs `tool` with the model's `arguments` (JSON text).
    public func run(_ tool: BusinessTool, arguments: String) async -> ToolOutcome {
        let values: ToolValue
        do {
            values = try ToolValue.parse(Data((arguments.isEmpty ? "{}" : arguments).utf8))
        } catch {
            metrics.toolCall(tool: tool.name, result: "bad_arguments")
            return .refused("the arguments are not JSON")
        }
        return await run(tool, values: values)
    }

    /// Runs `tool` with arguments already parsed (a flow's).
    public func run(_ tool: BusinessTool, values: ToolValue) async -> ToolOutcome {
        let outcome = await attempt(tool, arguments: values)
        switch outcome {
        case .succeeded: metrics.toolCall(tool: tool.name, result: "ok")
        case .refused: metrics.toolCall(tool: tool.name, result: "bad_arguments")
        case .failed: metrics.toolCall(tool: tool.name, result: "failed")
        }
        return outcome
    }

    private func attempt(_ tool: BusinessTool, arguments: ToolValue) async -> ToolOutcome {
        if let problem = tool.parameters.problem(with: arguments) { return .refused(problem) }
        guard case .object(let values) = arguments else { return .refused("the arguments are not an object") }
        switch tool.action {
        case .http(let action): return await request(tool, action, values)
        case .mcp(let action): return await call(tool, action, values)
        }
    }

    private func request(_ tool: BusinessTool, _ action: HTTPToolAction, _ values: [String: ToolValue]) async -> ToolOutcome {
        guard let url = action.url.render(values) else { return .refused("the arguments do not make a valid address") }
        var headers = action.headers.map { (name: $0.name, value: $0.value) }
        var body: Data?
        if let template = action.body {
            body = try? JSONEncoder().encode(template.render(values))
            headers.append((name: "Content-Type", value: "application/json"))
        }
        headers.append((name: "Accept", value: "application/json"))
        let request = HTTPRequest(method: action.method, url: url, headers: headers, body: body, timeout: tool.timeout)
        var wait = backoff
        var problem = ""
        for attempt in 0...action.retries {
            if attempt > 0 {
                do { try await Task.sleep(for: wait) } catch { return .failed("cancelled") }
                wait *= 2
            }
            do {
                let response = try await http.execute(request)
                guard response.body.count <= Self.maximumAnswerBytes else { return .failed("the service's answer is too large") }
                if (200..<300).contains(response.status) { return .succeeded(result(of: tool, response.body)) }
                problem = "the service answered HTTP \(response.status)"
                // A client error will not change by asking again.
                if (400..<500).contains(response.status), response.status != 408, response.status != 429 { break }
            } catch {
                if Task.isCancelled { return .failed("cancelled") }
                problem = "the service did not answer (\(Self.shortReason(error)))"
            }
        }
        logger.warning("tool failed", metadata: ["tool": "\(tool.name)", "problem": "\(problem)"])
        return .failed(problem)
    }

    /// An MCP tool, called once: a tool call may not be safe to repeat, and the server knows
    /// better than ura whether to retry what it calls.
    private func call(_ tool: BusinessTool, _ action: MCPToolAction, _ values: [String: ToolValue]) async -> ToolOutcome {
        let problem: String
        do {
            switch try await action.caller.call(tool: action.tool, arguments: values, timeout: tool.timeout) {
            case .succeeded(let value, let text):
                guard let value else { return .succeeded(String(text.prefix(Self.maximumResultCharacters))) }
                return .succeeded(result(of: tool, value))
            case .failed(let reason):
                problem = "the tool reported an error: \(reason.prefix(300))"
            }
        } catch {
            if Task.isCancelled { return .failed("cancelled") }
            problem = "the tool did not answer (\(Self.shortReason(error)))"
        }
        logger.warning("tool failed", metadata: ["tool": "\(tool.name)", "mcp_server": "\(action.server)", "problem": "\(problem)"])
        return .failed(problem)
    }

    /// The answer's chosen fields as one JSON object, or its text when it is not JSON.
    private func result(of tool: BusinessTool, _ body: Data) -> String {
        guard let answer = try? ToolValue.parse(body) else {
            return String(String(decoding: body, as: UTF8.self).prefix(Self.maximumResultCharacters))
        }
        return result(of: tool, answer)
    }

    private func result(of tool: BusinessTool, _ answer: ToolValue) -> String {
        var shown = answer
        if !tool.resultFields.isEmpty {
            var fields: [String: ToolValue] = [:]
            for path in tool.resultFields { fields[path] = answer.value(at: path) ?? .null }
            shown = .object(fields)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? String(decoding: encoder.encode(shown), as: UTF8.self)) ?? ""
        return String(text.prefix(Self.maximumResultCharacters))
    }

    private static func shortReason(_ error: any Error) -> String {
        let text = "\(error)"
        return text.lowercased().contains("timed out") || text.lowercased().contains("timeout") ? "timed out" : "connection failed"
    }
}

/// What running a tool came to, as the model is told.
public enum ToolOutcome: Sendable, Equatable {
    /// The service's answer (the chosen fields, as JSON).
    case succeeded(String)
    /// The arguments do not fit the tool; nothing was sent.
    case refused(String)
    /// The service failed or did not answer.
    case failed(String)

    /// The tool message the model reads.
    public var message: String {
        switch self {
        case .succeeded(let result): "OK: \(result)"
        case .refused(let reason): "Error: the request was not sent: \(reason). Fix the arguments if you can, or tell the caller briefly."
        case .failed(let reason): "Error: \(reason). Apologise to the caller in one short sentence and offer another way (try later, or transfer)."
        }
    }
}
