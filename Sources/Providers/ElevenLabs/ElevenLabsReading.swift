import Foundation
import Audio

/// What ElevenLabs' `stream-input` socket has said, message by message.
///
/// Audio comes as base64 in `audio` (null in messages that only carry alignment); the last
/// message has `isFinal: true`. Errors are messages with an `error` or a `message` and no audio
/// (`{"message":"…","error":"quota_exceeded","code":1008}`), usually followed by a close.
package struct ElevenLabsReading {
    package enum Step: Equatable {
        case nothing
        case audio([Int16])
        /// The last message; it may carry the last audio.
        case finished([Int16])
        case failed(ProviderError)
    }

    let format: ElevenLabsSettings.OutputFormat
    private var pcm = PCMByteDecoder()

    package init(format: ElevenLabsSettings.OutputFormat) {
        self.format = format
    }

    private struct Message: Decodable {
        var audio: String?
        var isFinal: Bool?
        var error: String?
        var message: String?
    }

    package mutating func read(_ data: Data) -> Step {
        guard let message = try? JSONDecoder().decode(Message.self, from: data) else {
            return .failed(.malformedResponse(provider: "elevenlabs", reason: "unreadable message: \(String(decoding: data.prefix(120), as: UTF8.self))"))
        }
        var samples: [Int16] = []
        if let encoded = message.audio, !encoded.isEmpty {
            guard let bytes = Data(base64Encoded: encoded) else {
                return .failed(.malformedResponse(provider: "elevenlabs", reason: "audio that is not base64"))
            }
            samples = decode(bytes)
        }
        if message.isFinal == true { return .finished(samples) }
        if !samples.isEmpty { return .audio(samples) }
        if message.error != nil || message.message != nil {
            let words = [message.error, message.message].compactMap { $0 }.joined(separator: ": ")
            return .failed(.connection(provider: "elevenlabs", reason: "ElevenLabs said \(words)"))
        }
        return .nothing
    }

    private mutating func decode(_ bytes: Data) -> [Int16] {
        switch format {
        case .ulaw8000: bytes.map(MuLaw.decode)
        case .pcm16000: pcm.decode(bytes)
        }
    }
}
