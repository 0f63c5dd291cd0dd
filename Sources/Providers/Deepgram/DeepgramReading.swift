import Foundation
import Voice

/// What Deepgram has said of one utterance so far, read message by message.
///
/// `Results` messages carry a piece of the utterance: interim ones (`is_final` false) revise the
/// piece being heard; a final one commits it and the next piece starts. The utterance is the
/// committed pieces plus the current interim one. `speech_final` (Deepgram's endpoint) or an
/// `UtteranceEnd` after some words ends it; `Metadata`, `SpeechStarted` and unknown types are
/// not about the words.
package struct DeepgramReading: RecognitionReading {
    private var committed: [String] = []
    private var interim = ""
    private var lastReported = ""

    var text: String { TranscriptLimit.capped((committed + (interim.isEmpty ? [] : [interim])).joined(separator: " ")) }

    /// Every message has a `type`; the rest of its shape depends on it (`channel` is an object
    /// in `Results`, an array in `UtteranceEnd`), so the type is read first.
    private struct Kind: Decodable {
        var type: String?
        // Error messages: `{"type":"Error","description":…}` or `err_code`/`err_msg`.
        var description: String?
        var err_msg: String?
    }

    private struct Results: Decodable {
        struct Channel: Decodable {
            struct Alternative: Decodable { var transcript: String? }
            var alternatives: [Alternative]?
        }
        var is_final: Bool?
        var speech_final: Bool?
        var channel: Channel?
    }

    package init() {}

    package mutating func read(_ data: Data) -> RecognitionStep {
        // Text that is not a message ura knows is skipped, as Deepgram adds message types.
        guard let kind = try? JSONDecoder().decode(Kind.self, from: data) else { return .nothing }
        switch kind.type {
        case "Results":
            guard let results = try? JSONDecoder().decode(Results.self, from: data) else {
                return .failed("unreadable Results: \(String(decoding: data.prefix(120), as: UTF8.self))")
            }
            let words = (results.channel?.alternatives?.first?.transcript ?? "").trimmingCharacters(in: .whitespaces)
            if results.is_final == true {
                if !words.isEmpty, committed.reduce(0, { $0 + $1.utf8.count }) < TranscriptLimit.bytes {
                    committed.append(TranscriptLimit.capped(words))
                }
                interim = ""
            } else {
                interim = TranscriptLimit.capped(words)
            }
            if results.speech_final == true, !text.isEmpty { return .final(text) }
            return reportIfChanged()
        case "UtteranceEnd":
            return text.isEmpty ? .nothing : .final(text)
        case "Error":
            return .failed(kind.description ?? kind.err_msg ?? "error")
        default:
            if let error = kind.err_msg { return .failed(error) }
            return .nothing
        }
    }

    /// How a session that ended without a final turns out: the words so far, or a failure
    /// when there are none and the end was not Deepgram's normal close (the one that follows
    /// `CloseStream`): a dropped connection must let the next recogniser try.
    package func ending(reason: String) -> Result<Transcript, ProviderError> {
        if !text.isEmpty || reason == "server closed with 1000" {
            return .success(Transcript(text: text, isFinal: true))
        }
        return .failure(.connection(provider: "deepgram", reason: reason))
    }

    private mutating func reportIfChanged() -> RecognitionStep {
        let now = text
        guard now != lastReported, !now.isEmpty else { return .nothing }
        lastReported = now
        return .partial(now)
    }
}
