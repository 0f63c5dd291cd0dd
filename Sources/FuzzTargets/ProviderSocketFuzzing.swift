import Foundation
import Providers
import Voice

/// Any message from a streaming provider's socket (Deepgram, OpenAI Realtime, ElevenLabs) is read
/// without a trap, and what the readers make of it never grows beyond what came in: words are
/// taken from the messages (a transcript is no longer than all the messages read so far) and
/// audio from their base64 (no more samples than bytes).
///
/// The first byte picks how the rest is cut into messages (at newlines, or in pieces of 1 to 64
/// bytes), so sequences of messages are explored, not only single ones.
enum ProviderSocketFuzzing {
    static func run(_ input: Data) {
        guard let seed = input.first else { return }
        let stream = Data(input.dropFirst())
        let messages: [Data] = seed % 2 == 0
            ? stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
            : stride(from: 0, to: stream.count, by: Int(seed % 64) + 1).map { stream.subdata(in: $0..<min($0 + Int(seed % 64) + 1, stream.count)) }
        var deepgram = DeepgramReading()
        var transcription = RealtimeTranscriptionReading()
        var realtime = RealtimeServerEvents()
        var ulaw = ElevenLabsReading(format: .ulaw8000)
        var pcm = ElevenLabsReading(format: .pcm16000)
        var read = 0
        for message in messages {
            read += message.count
            for step in [deepgram.read(message), transcription.read(message)] {
                switch step {
                case .partial(let text), .final(let text):
                    FuzzTargetFailure.check(text.utf8.count <= read, "a transcript longer than the messages it came from")
                case .nothing, .failed:
                    break
                }
            }
            for step in realtime.read(message) {
                switch step {
                case .audio(_, let bytes):
                    FuzzTargetFailure.check(bytes.count <= message.count, "more audio than the message carried")
                case .event(.callerTranscript(let text)), .event(.botTranscript(_, let text)):
                    FuzzTargetFailure.check(text.utf8.count <= message.count, "a transcript longer than its message")
                case .toolCall(let call):
                    FuzzTargetFailure.check(call.arguments.utf8.count <= message.count || call.arguments == "{}", "tool arguments from nowhere")
                case .event, .usage, .problem:
                    break
                }
            }
            for reading in [ulaw.read(message), pcm.read(message)] {
                if case .audio(let samples) = reading {
                    FuzzTargetFailure.check(samples.count <= message.count, "more samples than bytes")
                }
            }
        }
    }
}
