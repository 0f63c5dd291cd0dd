/// Assembles streamed tool calls: ids and names arrive once, arguments in pieces, keyed by `index`.
///
/// Servers that omit `index` (some older llama.cpp builds) send one call at a time; a delta
/// without index continues the last call unless it brings a new id.
package struct ToolCallAccumulator {
    /// One tool call the model made (also the Realtime API's, and the fuzz target's).
    package struct Call: Equatable {
        package var id: String
        package var name: String
        package var arguments: String

        package init(id: String, name: String, arguments: String) {
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    private var calls: [Int: Call] = [:]
    private var order: [Int] = []
    private var lastIndex: Int?

    mutating func add(_ delta: ChatWire.Chunk.ToolCallDelta) {
        let index: Int
        if let given = delta.index {
            index = given
        } else if let last = lastIndex, delta.id == nil || delta.id == calls[last]?.id {
            index = last
        } else {
            index = (order.max() ?? -1) + 1
        }
        if calls[index] == nil {
            calls[index] = Call(id: delta.id ?? "call_\(index)", name: "", arguments: "")
            order.append(index)
        }
        if let id = delta.id, !id.isEmpty { calls[index]?.id = id }
        // Names arrive whole, once (some servers repeat them); arguments arrive in pieces.
        if let name = delta.function?.name, !name.isEmpty, calls[index]?.name.isEmpty == true { calls[index]?.name = name }
        if let arguments = delta.function?.arguments { calls[index]?.arguments += arguments }
        lastIndex = index
    }

    var isEmpty: Bool { calls.isEmpty }

    /// The calls in the order they started.
    var completed: [Call] { order.compactMap { calls[$0] } }
}
