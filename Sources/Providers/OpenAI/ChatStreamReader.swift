import Foundation
import HTTP

/// Reads a `/chat/completions` event stream: text deltas, tool calls, usage and the end.
///
/// Accepts what real servers send: a first chunk with only `role`, empty deltas, a last chunk
/// with an empty delta and `finish_reason`, usage in its own chunk (with empty `choices`) or
/// none, `[DONE]` or just the end of the body, and an `{"error":…}` event mid-stream.
struct ChatStreamReader {
    let provider: String
    private var parser = SSEParser()
    private var tools = ToolCallAccumulator()
    private(set) var text = ""
    private(set) var usage: ChatWire.Chunk.Usage?
    private(set) var finishReason: String?
    /// `[DONE]` arrived: nothing more will.
    private(set) var isDone = false

    init(provider: String) { self.provider = provider }

    var toolCalls: [ToolCallAccumulator.Call] { tools.completed }

    /// Passes each text delta the bytes complete to `emit`, in order; a bad event throws after
    /// the deltas before it were emitted.
    mutating func feed(_ bytes: Data, emit: (String) -> Void) throws {
        for event in parser.feed(bytes) {
            if let delta = try handle(event) { emit(delta) }
        }
    }

    /// The body ended: the last deltas, or ``ProviderError/streamAborted(provider:)`` when the
    /// server never said the reply was complete.
    mutating func finish(emit: (String) -> Void) throws {
        for event in parser.finish() {
            if let delta = try handle(event) { emit(delta) }
        }
        guard finishReason != nil else { throw ProviderError.streamAborted(provider: provider) }
    }

    private mutating func handle(_ event: SSEParser.Event) throws -> String? {
        guard !isDone else { return nil }
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            isDone = true
            return nil
        }
        let chunk: ChatWire.Chunk
        do {
            chunk = try JSONDecoder().decode(ChatWire.Chunk.self, from: Data(data.utf8))
        } catch {
            throw ProviderError.malformedResponse(provider: provider, reason: "undecodable event \"\(data.prefix(80))\"")
        }
        if let error = chunk.error {
            throw ProviderError.malformedResponse(provider: provider, reason: "error in stream: \(error.message ?? "unknown")")
        }
        if let usage = chunk.usage { self.usage = usage }
        var delta = ""
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let content = choice.delta?.content { delta += content }
            for call in choice.delta?.tool_calls ?? [] { tools.add(call) }
            if let reason = choice.finish_reason { finishReason = reason }
        }
        text += delta
        return delta.isEmpty ? nil : delta
    }
}
