import Foundation
import Voice

/// What a speech-to-speech session's server events mean, one at a time.
///
/// Audio and transcript deltas (the GA names, `response.output_audio.delta`, and the beta ones,
/// `response.audio.delta`), the caller's turns and transcript, tool calls, the end of each
/// response with its usage. `error` events do not end the session (the server sends them for a
/// cancel that came after the answer ended, a truncation past the audio sent); a dead session
/// is a closed socket.
package struct RealtimeServerEvents {
    package enum Step: Equatable {
        case event(SpeechToSpeechEvent)
        case audio(item: String, bytes: Data)
        case toolCall(ToolCallAccumulator.Call)
        case usage(ProviderUsage, audio: ProviderUsage)
        case problem(String)
    }

    /// Tool names by call id, from `response.output_item.added` (older servers leave the name
    /// out of `response.function_call_arguments.done`).
    private var toolNames: [String: String] = [:]

    package init() {}

    package mutating func read(_ message: Data) -> [Step] {
        guard let event = try? JSONDecoder().decode(RealtimeServerEvent.self, from: message), let type = event.type else {
            return [.problem("unreadable event: \(String(decoding: message.prefix(120), as: UTF8.self))")]
        }
        switch type {
        case "input_audio_buffer.speech_started":
            return [.event(.callerStarted)]
        case "input_audio_buffer.speech_stopped":
            return [.event(.callerStopped)]
        case "conversation.item.input_audio_transcription.completed":
            return [.event(.callerTranscript(TranscriptLimit.capped((event.transcript ?? "").trimmingCharacters(in: .whitespacesAndNewlines))))]
        case "response.output_audio.delta", "response.audio.delta":
            guard let item = event.item_id, let delta = event.delta else { return [] }
            guard let bytes = Data(base64Encoded: delta) else { return [.problem("audio that is not base64")] }
            return [.audio(item: item, bytes: bytes)]
        case "response.output_audio_transcript.delta", "response.audio_transcript.delta":
            guard let item = event.item_id, let delta = event.delta else { return [] }
            return [.event(.botTranscript(item: item, delta: TranscriptLimit.capped(delta)))]
        case "response.output_item.added":
            if let item = event.item, item.type == "function_call", let id = item.call_id, let name = item.name { toolNames[id] = name }
            return []
        case "response.function_call_arguments.done":
            guard let id = event.call_id else { return [] }
            let name = event.name ?? toolNames[id] ?? ""
            return [.toolCall(.init(id: id, name: name, arguments: event.arguments ?? "{}"))]
        case "response.done":
            var steps: [Step] = []
            if let usage = event.response?.usage {
                let input = usage.input_token_details, output = usage.output_token_details
                let inputAudio = input?.audio_tokens ?? 0, outputAudio = output?.audio_tokens ?? 0
                steps.append(.usage(
                    ProviderUsage(
                        promptTokens: input?.text_tokens ?? max(0, (usage.input_tokens ?? 0) - inputAudio),
                        completionTokens: output?.text_tokens ?? max(0, (usage.output_tokens ?? 0) - outputAudio)),
                    audio: ProviderUsage(promptTokens: inputAudio, completionTokens: outputAudio)))
            }
            if event.response?.status == "failed" { steps.append(.problem("a response failed")) }
            steps.append(.event(.responseDone))
            return steps
        case "error" where event.error?.code == "response_cancel_not_active":
            return [.event(.nothingToCancel)]
        case "error":
            return [.problem([event.error?.code, event.error?.message].compactMap { $0 }.joined(separator: ": "))]
        default:
            return []
        }
    }
}
