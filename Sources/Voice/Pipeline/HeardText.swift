/// The part of a reply the caller actually heard, from what the pacer says it sent.
///
/// Each sentence of a reply is synthesised as its own audio source; when a reply is cut, the
/// pacer's cursor per source says how many samples of each left. Whole sentences count whole;
/// the sentence being played counts up to the last word whose share of the text fits in the
/// share of its audio that was sent — speech rate is even enough within one sentence.
///
/// A sentence still being synthesised has no known length yet (audio is pulled from the
/// synthesiser only as fast as it plays), so its length is estimated from the speech rate of the
/// reply's finished sentences, or a typical rate when there are none; never shorter than what
/// was synthesised so far.
public struct HeardText: Sendable, Equatable {
    public struct Sentence: Sendable, Equatable {
        public var text: String
        /// Samples synthesised for it (final once synthesis ended).
        public var samples: Int64
        /// Samples of it that reached the wire.
        public var played: Int64
        /// Synthesis of it ended: ``samples`` is its whole length.
        public var complete: Bool

        public init(text: String, samples: Int64, played: Int64, complete: Bool = true) {
            self.text = text
            self.samples = samples
            self.played = played
            self.complete = complete
        }
    }

    /// Seconds of speech per character when nothing better is known (about 170 words a minute).
    public static let typicalSecondsPerCharacter = 0.07

    /// The text heard, joined with spaces; `sampleRate` is the rate of the samples counted.
    public static func heard(_ sentences: [Sentence], sampleRate: Int = 8000) -> String {
        let finished = sentences.filter { $0.complete && $0.samples > 0 && !$0.text.isEmpty }
        let samplesPerCharacter = finished.isEmpty
            ? Double(sampleRate) * typicalSecondsPerCharacter
            : Double(finished.reduce(0) { $0 + $1.samples }) / Double(finished.reduce(0) { $0 + $1.text.count })
        var parts: [String] = []
        for sentence in sentences {
            let length = sentence.complete
                ? sentence.samples : max(sentence.samples, Int64(samplesPerCharacter * Double(sentence.text.count)))
            guard sentence.played > 0, length > 0 else { break }
            if sentence.played >= length {
                parts.append(sentence.text)
                continue
            }
            let share = Double(sentence.played) / Double(length)
            let words = sentence.text.split(separator: " ")
            let total = Double(sentence.text.count)
            var used = 0
            var heardWords: [Substring] = []
            for word in words {
                used += word.count + (heardWords.isEmpty ? 0 : 1)
                guard Double(used) / total <= share else { break }
                heardWords.append(word)
            }
            if !heardWords.isEmpty { parts.append(heardWords.joined(separator: " ")) }
            break
        }
        return parts.joined(separator: " ")
    }
}
