/// Cuts streaming reply text into pieces worth synthesising on their own.
///
/// The brain's text arrives a few characters at a time; waiting for the whole reply would add
/// its full generation time to the caller's wait. The chunker releases each sentence as soon as
/// it is complete — and, when a sentence runs long, a clause — so synthesis of the first words
/// starts while the rest is being written. It knows English and Brazilian Portuguese writing:
/// abbreviations ("Sr.", "Dra.", "Mr.", "etc."), decimals and money ("3.5", "R$ 10,50"),
/// times ("9:30"), ordinals and initials do not end a sentence.
///
/// A boundary is only decided once the character after the punctuation has arrived, so
/// "3." followed later by "5" is never split.
public struct SentenceChunker: Sendable {
    /// A clause (`,`, `;`, `:`, `—`) ends a chunk only once the chunk is at least this long.
    public var minimumClauseLength: Int
    /// A chunk with no boundary is cut at a space once it grows past this length.
    public var maximumLength: Int

    private var pending = ""

    public init(minimumClauseLength: Int = 40, maximumLength: Int = 240) {
        self.minimumClauseLength = minimumClauseLength
        self.maximumLength = maximumLength
    }

    /// Words that, followed by a period, never end a sentence (titles and common short forms).
    /// Everyday words that double as abbreviations ("no", "min") are left out on purpose.
    static let abbreviations: Set<String> = [
        "sr", "sra", "srs", "sras", "srta", "dr", "dra", "drs", "dras", "prof", "profa", "exmo", "exma", "av", "nº",
        "pág", "tel", "cel", "ltda", "cia", "obs", "aprox", "vs", "mr", "mrs", "ms", "jr", "approx", "dept",
    ]

    /// Adds a piece of streamed text; returns the chunks it completed, in order.
    public mutating func append(_ text: String) -> [String] {
        pending += text
        var chunks: [String] = []
        while let cut = nextBoundary() {
            let chunk = pending[..<cut].trimmingWhitespace()
            pending = String(pending[cut...])
            if !chunk.isEmpty { chunks.append(chunk) }
        }
        return chunks
    }

    /// Ends the stream; returns what is left, if anything.
    public mutating func finish() -> String? {
        defer { pending = "" }
        let rest = pending.trimmingWhitespace()
        return rest.isEmpty ? nil : rest
    }

    /// Drops pending text (the reply was interrupted).
    public mutating func reset() { pending = "" }

    private func nextBoundary() -> String.Index? {
        let characters = Array(pending)
        var length = 0
        var index = pending.startIndex
        var lastSpace: String.Index?
        for position in characters.indices {
            let character = characters[position]
            let next = position + 1 < characters.count ? characters[position + 1] : nil
            let after = pending.index(after: index)
            length += 1
            if character == "\n" { return after }
            if character.isWhitespace { lastSpace = index }
            if let next, next.isWhitespace || next == "\"" || next == "”" || next == ")" {
                if ".!?…".contains(character), endsSentence(characters, at: position) {
                    return after
                }
                if ",;:—".contains(character), length >= minimumClauseLength {
                    return after
                }
            }
            if length >= maximumLength, let lastSpace { return lastSpace }
            index = after
        }
        return nil
    }

    private func endsSentence(_ characters: [Character], at position: Int) -> Bool {
        guard characters[position] == "." else { return true }
        if position > 0, characters[position - 1] == "." { return true }
        var start = position
        while start > 0, !characters[start - 1].isWhitespace, characters[start - 1] != "(" { start -= 1 }
        let word = String(characters[start..<position]).lowercased()
        if word.isEmpty { return true }
        if word == "etc" || word.contains(".") {
            // "etc.", "p.m.", "e.g." may close a sentence: a capital letter after them starts the next.
            return nextLetterIsUppercase(characters, after: position)
        }
        if Self.abbreviations.contains(word) { return false }
        // Initials ("J. Silva") and ordinals ("1.") continue the sentence.
        if word.count == 1, word.first!.isLetter { return false }
        if word.allSatisfy(\.isNumber) { return nextLetterIsUppercase(characters, after: position) }
        return true
    }

    private func nextLetterIsUppercase(_ characters: [Character], after position: Int) -> Bool {
        var index = position + 1
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        return index < characters.count && characters[index].isUppercase
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
