import Foundation
import Tools
import Voice

/// The client events ura sends a speech-to-speech session, as JSON text.
enum RealtimeSessionSetup {
    private struct Update: Encodable {
        struct Session: Encodable {
            struct Audio: Encodable {
                struct Format: Encodable {
                    var type: String
                    var rate: Int?
                }
                struct Input: Encodable {
                    struct Transcription: Encodable {
                        var model: String
                        var language: String?
                    }
                    struct TurnDetection: Encodable {
                        var type = "server_vad"
                        var silence_duration_ms: Int
                        // ura asks for each answer and interrupts on the line itself.
                        var create_response = false
                        var interrupt_response = false
                    }
                    var format: Format
                    var transcription: Transcription
                    var turn_detection: TurnDetection
                }
                struct Output: Encodable {
                    var format: Format
                    var voice: String
                }
                var input: Input
                var output: Output
            }
            struct Tool: Encodable {
                var type = "function"
                var name: String
                var description: String
                var parameters: JSONSchema
            }
            var type = "realtime"
            var model: String
            var instructions: String
            var output_modalities = ["audio"]
            var audio: Audio
            var tools: [Tool]
            var tool_choice = "auto"
        }
        var type = "session.update"
        var session: Session
    }

    static func update(settings: RealtimeSettings, instructions: String, language: String, format wire: RealtimeAudioFormat) -> String {
        let format = Update.Session.Audio.Format(type: wire.type, rate: wire.lineRate == nil ? nil : 24000)
        let family = PhoneAgentPrompt.family(of: language)
        let tools = CallTools.definitions.map { Update.Session.Tool(name: $0.function.name, description: $0.function.description, parameters: $0.function.parameters) }
        let update = Update(session: .init(
            model: settings.model, instructions: instructions,
            audio: .init(
                input: .init(
                    format: format, transcription: .init(model: settings.transcriptionModel, language: family.count == 2 ? family : nil),
                    turn_detection: .init(silence_duration_ms: settings.silenceMilliseconds)),
                output: .init(format: format, voice: settings.voice)),
            tools: tools))
        return json(update)
    }

    private struct ItemCreate: Encodable {
        struct Item: Encodable {
            struct Content: Encodable {
                var type: String
                var text: String
            }
            var type = "message"
            var role: String
            var content: [Content]
        }
        var type = "conversation.item.create"
        var item: Item
    }

    /// A message of the conversation so far, for a session opened after another failed.
    static func historyItem(_ message: Conversation.Message) -> String? {
        switch message.role {
        case .caller: json(ItemCreate(item: .init(role: "user", content: [.init(type: "input_text", text: message.text)])))
        case .bot: json(ItemCreate(item: .init(role: "assistant", content: [.init(type: "output_text", text: message.text)])))
        case .system: nil
        }
    }

    private struct ToolOutput: Encodable {
        struct Item: Encodable {
            var type = "function_call_output"
            var call_id: String
            var output: String
        }
        var type = "conversation.item.create"
        var item: Item
    }

    static func toolOutput(callID: String, output: String) -> String {
        json(ToolOutput(item: .init(call_id: callID, output: output)))
    }

    private struct ResponseCreate: Encodable {
        struct Response: Encodable { var instructions: String }
        var type = "response.create"
        var response: Response?
    }

    static func responseCreate(instructions: String?) -> String {
        json(ResponseCreate(response: instructions.map { .init(instructions: $0) }))
    }

    private struct Truncate: Encodable {
        var type = "conversation.item.truncate"
        var item_id: String
        var content_index = 0
        var audio_end_ms: Int
    }

    static func truncate(item: String, audioEndMilliseconds: Int) -> String {
        json(Truncate(item_id: item, audio_end_ms: max(0, audioEndMilliseconds)))
    }

    /// `input_audio_buffer.append` with `audio` (already in the session's format) as base64.
    static func append(_ audio: Data) -> String {
        #"{"type":"input_audio_buffer.append","audio":"\#(audio.base64EncodedString())"}"#
    }

    private static func json(_ value: some Encodable) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
    }
}
