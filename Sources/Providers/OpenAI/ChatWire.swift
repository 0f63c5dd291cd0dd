import Tools

/// The JSON of `/chat/completions`, as ura sends and reads it.
enum ChatWire {
    struct Request: Encodable {
        struct StreamOptions: Encodable { var include_usage = true }

        var model: String
        var messages: [Message]
        var stream = true
        var stream_options = StreamOptions()
        var tools: [Tool]?
        var tool_choice: String?
    }

    struct Message: Encodable, Equatable {
        var role: String
        var content: String?
        var tool_calls: [ToolCall]?
        var tool_call_id: String?

        static func system(_ text: String) -> Message { Message(role: "system", content: text) }
        static func user(_ text: String) -> Message { Message(role: "user", content: text) }
        static func assistant(_ text: String) -> Message { Message(role: "assistant", content: text) }
    }

    struct ToolCall: Encodable, Equatable {
        struct Function: Encodable, Equatable {
            var name: String
            var arguments: String
        }

        var id: String
        var type = "function"
        var function: Function
    }

    struct Tool: Encodable {
        struct Function: Encodable {
            var name: String
            var description: String
            /// An object schema: the tool's named arguments.
            var parameters: JSONSchema
        }

        var type = "function"
        var function: Function
    }

    /// One `data:` payload of the stream.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            var index: Int?
            var delta: Delta?
            var finish_reason: String?
        }

        struct Delta: Decodable {
            var role: String?
            var content: String?
            var tool_calls: [ToolCallDelta]?
        }

        struct ToolCallDelta: Decodable {
            struct Function: Decodable {
                var name: String?
                var arguments: String?
            }

            var index: Int?
            var id: String?
            var function: Function?
        }

        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }

        struct ErrorPayload: Decodable {
            var message: String?
        }

        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorPayload?
    }
}
