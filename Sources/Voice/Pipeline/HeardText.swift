/// The part of a reply the caller actually heard, from what the pacer says it sent.
///
/// Each sentence of a reply is synthesised as its own audio source; when a reply is cut, the
/// pacer's cursor per source says how many samples of each left. Whole sentences count whole;
/// the sentence being played counts up to the last word whose share of the text fits in the
/// share of its audio that was sent — speech rate is even enough within one sentence.
public struct HeardText: Sendable, Equatable {
    public struct Sentence: Sendable, Equatable {
        public var text: String
        /// Samples synthesised for it (final once synthesis ended).
        public var samples: Int64
        /// Samples of it that reached the wire.
        public var played: Int64

        public init(text: String, samples: Int64, played: Int64) {
            self.text = text
            self.samples = samples
            self.played = played
        }
    }

    /// The text heard, joined with spaces.
    public static func heard(_ sentences: [Sentence]) -> String {
        var parts: [String] = []
        for sentence in sentences {
            guard sentence.played > 0, sentence.samples > 0 else { break }
            if sentence.played >= sentence.samples {
                parts.append(sentence.text)
                continue
            }
            let share = Double(sentence.played) / Double(sentence.samples)
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
