import Foundation
import Voice

/// What an OpenAI Realtime transcription session has said of one utterance, event by event.
///
/// `conversation.item.input_audio_transcription.delta` events add to the transcript as the model
/// hears it; `…completed` carries the whole of it. `error` events and `…failed` end the
/// utterance; committing a buffer with too little audio in it (`input_audio_buffer_commit_empty`)
/// means nothing was said. Session, buffer and rate-limit events are not about the words.
package struct RealtimeTranscriptionReading: RecognitionReading {
    private var text = ""
    private var lastReported = ""

    package init() {}

    package mutating func read(_ message: Data) -> RecognitionStep {
        guard let event = try? JSONDecoder().decode(RealtimeServerEvent.self, from: message) else {
            return .failed("unreadable event: \(String(decoding: message.prefix(120), as: UTF8.self))")
        }
        switch event.type {
        case "conversation.item.input_audio_transcription.delta":
            text = TranscriptLimit.appending(event.delta ?? "", to: text)
            let now = text.trimmingCharacters(in: .whitespaces)
            guard !now.isEmpty, now != lastReported else { return .nothing }
            lastReported = now
            return .partial(now)
        case "conversation.item.input_audio_transcription.completed":
            return .final(TranscriptLimit.capped((event.transcript ?? text).trimmingCharacters(in: .whitespacesAndNewlines)))
        case "conversation.item.input_audio_transcription.failed":
            return .failed(event.error?.message ?? "transcription failed")
        case "error":
            if event.error?.code == "input_audio_buffer_commit_empty" { return .final("") }
            return .failed([event.error?.code, event.error?.message].compactMap { $0 }.joined(separator: ": "))
        default:
            return .nothing
        }
    }

    package func ending(reason: String) -> Result<Transcript, ProviderError> {
        let words = text.trimmingCharacters(in: .whitespaces)
        if !words.isEmpty { return .success(Transcript(text: words, isFinal: true)) }
        return .failure(.connection(provider: "openai-realtime", reason: reason))
    }
}
