import Foundation
import HTTP
import Logging
import Settings
import Telemetry
import Voice

/// A ``DialogBrain`` on any OpenAI-compatible `/chat/completions` server, streamed.
///
/// Each turn sends the system prompt for the call's language, the conversation within its
/// budget (``ChatHistory``) and the call-control tools, with `stream: true`, and yields text
/// deltas as the Server-Sent Events arrive. When the model calls tools without saying
/// anything, their results go back in one follow-up request (tools then disabled) so the
/// caller hears e.g. "transferring you now"; the actions are yielded after that text, so the
/// pipeline speaks before it transfers or hangs up. A stream that ends without a
/// `finish_reason` was cut by the server and fails with ``ProviderError/streamAborted(provider:)``.
///
/// Cancelling the consumer (barge-in) cancels the request. Usage (the server's numbers, or an
/// estimate when it reports none) goes to the call's ``CostMeter``.
public struct OpenAIChatBrain: DialogBrain {
    public let name: String
    let endpoint: ProviderEndpoint
    let server: OpenAIServerAccess
    let model: String
    let systemPrompts: [String: String]
    let historyTurns: Int
    let historyTokens: Int
    let meter: CostMeter?
    let tools: CallTools

    /// - Parameters:
    ///   - systemPrompts: overrides by language family (`en`, `pt`) of ``PhoneAgentPrompt``'s defaults.
    ///   - historyTurns: most conversation messages sent.
    ///   - historyTokens: estimated token budget of those messages.
    public init(
        endpoint: ProviderEndpoint, server: OpenAIServerAccess, model: String, systemPrompts: [String: String] = [:],
        historyTurns: Int = 20, historyTokens: Int = 3000, meter: CostMeter? = nil, transferAllowList: TransferAllowList? = nil,
        metrics: URAMetrics = URAMetrics(), logger: Logger = Logger(label: "ura.llm")
    ) {
        self.tools = CallTools(transferAllowList: transferAllowList, metrics: metrics, logger: logger)
        self.name = "llm:\(endpoint.provider):\(model)"
        self.endpoint = endpoint
        self.server = server
        self.model = model
        self.systemPrompts = systemPrompts
        self.historyTurns = historyTurns
        self.historyTokens = historyTokens
        self.meter = meter
    }

    public func respond(to input: BrainInput, in conversation: Conversation) -> AsyncThrowingStream<BrainOutput, any Error> {
        let (stream, continuation) = AsyncThrowingStream<BrainOutput, any Error>.makeStream()
        let task = Task {
            do {
                try await run(input, conversation, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ input: BrainInput, _ conversation: Conversation, into output: AsyncThrowingStream<BrainOutput, any Error>.Continuation) async throws {
        let history = ChatHistory(
            systemPrompt: PhoneAgentPrompt.prompt(for: conversation.language, overrides: systemPrompts),
            maxTurns: historyTurns, maxTokens: historyTokens)
        var messages = history.messages(for: input, in: conversation)
        let first = try await round(messages, toolChoice: nil, output: output)
        var actions: [CallAction] = []
        var results: [ChatWire.Message] = []
        for call in first.toolCalls {
            let outcome = tools.action(for: call)
            if case .success(let action) = outcome { actions.append(action) } else { endpoint.stats.count(endpoint.provider, "bad_tool_call") }
            results.append(ChatWire.Message(role: "tool", content: CallTools.result(for: outcome), tool_call_id: call.id))
        }
        if !first.toolCalls.isEmpty, first.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            messages.append(ChatWire.Message(
                role: "assistant", content: nil,
                tool_calls: first.toolCalls.map { .init(id: $0.id, function: .init(name: $0.name, arguments: $0.arguments)) }))
            messages += results
            _ = try await round(messages, toolChoice: "none", output: output)
        }
        for action in actions { output.yield(.action(action)) }
    }

    private struct Round {
        var text = ""
        var toolCalls: [ToolCallAccumulator.Call] = []
    }

    /// One streamed request; yields its text and returns it with the tool calls.
    private func round(_ messages: [ChatWire.Message], toolChoice: String?, output: AsyncThrowingStream<BrainOutput, any Error>.Continuation) async throws -> Round {
        let body = try JSONEncoder().encode(ChatWire.Request(model: model, messages: messages, tools: CallTools.definitions, tool_choice: toolChoice))
        let response = try await endpoint.open(
            server.request("chat/completions", contentType: "application/json", accept: "text/event-stream", body: body),
            accepting: ["text/event-stream"])
        var reader = ChatStreamReader(provider: endpoint.provider)
        // Transport failures of the body are counted by the endpoint; wire-format ones here.
        func read(_ step: (inout ChatStreamReader) throws -> Void) throws {
            do {
                try step(&reader)
            } catch let error as ProviderError {
                endpoint.stats.count(endpoint.provider, error.kind)
                throw error
            }
        }
        pieces: for try await piece in response.body {
            try read { try $0.feed(piece) { output.yield(.text($0)) } }
            if reader.isDone { break pieces }
        }
        try read { try $0.finish { output.yield(.text($0)) } }
        let promptEstimate = messages.reduce(0) { $0 + ChatHistory.estimatedTokens($1.content ?? "") }
        let completionEstimate = ChatHistory.estimatedTokens(reader.text + reader.toolCalls.map(\.arguments).joined())
        meter?.record(endpoint.provider, ProviderUsage(
            promptTokens: reader.usage?.prompt_tokens ?? promptEstimate,
            completionTokens: reader.usage?.completion_tokens ?? completionEstimate,
            estimated: reader.usage?.prompt_tokens == nil || reader.usage?.completion_tokens == nil))
        return Round(text: reader.text, toolCalls: reader.toolCalls)
    }
}
