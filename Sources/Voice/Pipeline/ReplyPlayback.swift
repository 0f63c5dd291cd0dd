import Synchronization

/// The audio of one bot reply as it is synthesised and queued, sentence by sentence.
///
/// The reply task appends; the conversation loop reads it when the reply is cut, to keep only
/// what the caller heard (``HeardText``). Lock-protected because both sides touch it.
final class ReplyPlayback: Sendable {
    private struct Entry {
        var source: UInt64
        var text: String
        var samples: Int64
    }

    private let entries = Mutex<[Entry]>([])

    /// Starts a sentence; returns the audio source id its frames carry.
    func begin(_ text: String) -> UInt64 {
        let source = UInt64.random(in: 1 ... .max)
        entries.withLock { $0.append(Entry(source: source, text: text, samples: 0)) }
        return source
    }

    func add(samples: Int, to source: UInt64) {
        entries.withLock { entries in
            if let index = entries.lastIndex(where: { $0.source == source }) { entries[index].samples += Int64(samples) }
        }
    }

    var sources: [UInt64] { entries.withLock { $0.map(\.source) } }

    /// Every sentence with how much of it reached the wire.
    func sentences(playedBy output: any ConversationAudioOutput) -> [HeardText.Sentence] {
        entries.withLock { $0 }.map {
            HeardText.Sentence(text: $0.text, samples: $0.samples, played: output.playedCursor(for: $0.source) ?? 0)
        }
    }

    /// The whole text queued so far.
    var text: String { entries.withLock { $0.map(\.text).joined(separator: " ") } }
}
