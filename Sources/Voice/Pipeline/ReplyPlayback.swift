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
        var complete = false
    }

    private let entries = Mutex<[Entry]>([])
    private let paused = Atomic(false)
    /// The last frames handed to the output, kept so a pause can flush them and a resume can
    /// send again what never left.
    private let recentFrames = Mutex<[(samples: [Int16], source: UInt64, offset: Int64)]>([])

    func sent(_ samples: [Int16], source: UInt64, offset: Int64) {
        recentFrames.withLock { frames in
            frames.append((samples, source, offset))
            if frames.count > 16 { frames.removeFirst(frames.count - 16) }
        }
    }

    /// Frames that were queued but never reached the wire (flushed by a pause), oldest first.
    func takeUnplayed(by output: any ConversationAudioOutput) -> [(samples: [Int16], source: UInt64, offset: Int64)] {
        recentFrames.withLock { frames in
            defer { frames.removeAll() }
            return frames.filter { frame in frame.offset >= (output.playedCursor(for: frame.source) ?? 0) }
        }
    }

    /// Holds back further audio (the caller may be interrupting); what is queued still plays.
    func pause() { paused.store(true, ordering: .releasing) }

    func resume() { paused.store(false, ordering: .releasing) }

    var isPaused: Bool { paused.load(ordering: .acquiring) }

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

    /// The synthesiser gave all of the sentence's audio.
    func synthesisEnded(for source: UInt64) {
        entries.withLock { entries in
            if let index = entries.lastIndex(where: { $0.source == source }) { entries[index].complete = true }
        }
    }

    var sources: [UInt64] { entries.withLock { $0.map(\.source) } }

    /// Every sentence with how much of it reached the wire.
    ///
    /// The output remembers only its most recent sources; a sentence it has forgotten, before one
    /// that was played, was played in full (sentences leave in order).
    func sentences(playedBy output: any ConversationAudioOutput) -> [HeardText.Sentence] {
        var laterOnePlayed = false
        var sentences: [HeardText.Sentence] = []
        for entry in entries.withLock({ $0 }).reversed() {
            let played = output.playedCursor(for: entry.source) ?? (laterOnePlayed ? entry.samples : 0)
            if played > 0 { laterOnePlayed = true }
            sentences.append(HeardText.Sentence(text: entry.text, samples: entry.samples, played: played, complete: entry.complete))
        }
        return sentences.reversed()
    }

    /// The whole text queued so far.
    var text: String { entries.withLock { $0.map(\.text).joined(separator: " ") } }
}
