/// How long a pause must last to end the caller's turn, judged from what they have said so far.
///
/// A fixed silence is too long after a finished question and too short after "I'd like to book
/// an appointment for, um…". With a streaming recogniser's partial transcript the pause adapts:
/// ``shortest`` after a complete sentence or question (it ends in `.`, `?` or `!`, as streaming
/// recognisers punctuate), ``longest`` after a hesitation (a filler such as "um", "uh", "é",
/// "hã", or a word no sentence ends on: "and", "the", "to", "mas", "que", "de", "para"…), and
/// the configured silence otherwise, English and Portuguese alike. Recognisers that give no
/// partials leave it at the configured silence.
public struct SmartEndpoint: Sendable, Equatable {
    /// What the words so far suggest.
    public enum Reading: Sendable, Equatable {
        case complete, hesitating, undecided
    }

    /// Off: always the configured silence.
    public var enabled = true
    /// The pause that ends a turn after a complete sentence or question.
    public var shortest: Duration = .milliseconds(300)
    /// The pause waited after a hesitation before the turn ends anyway.
    public var longest: Duration = .milliseconds(1500)

    public init(enabled: Bool = true, shortest: Duration = .milliseconds(300), longest: Duration = .milliseconds(1500)) {
        self.enabled = enabled
        self.shortest = shortest
        self.longest = longest
    }

    /// The silence that ends the turn after `text`, given the configured `base` silence: never
    /// more than it when the text is complete, never less when the caller hesitates.
    public func silence(after text: String, base: Duration) -> Duration {
        guard enabled else { return base }
        switch Self.reading(of: text) {
        case .complete: return min(shortest, base)
        case .hesitating: return max(longest, base)
        case .undecided: return base
        }
    }

    /// What `text`, a transcript so far, suggests about the turn.
    public static func reading(of text: String) -> Reading {
        var trimmed = Substring(text)
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        guard let last = trimmed.last else { return .undecided }
        // "um…", "e...": a trailing ellipsis is a pause in the middle, not an end.
        if trimmed.hasSuffix("...") || last == "…" || last == "," || last == "-" { return .hesitating }
        let words = trimmed.lowercased().split { !$0.isLetter && $0 != "'" }
        guard let lastWord = words.last.map(String.init) else { return .undecided }
        if fillers.contains(lastWord) { return .hesitating }
        if [".", "?", "!"].contains(last) { return .complete }
        if unfinished.contains(lastWord) { return .hesitating }
        return .undecided
    }

    /// Sounds of thinking aloud, English and Brazilian Portuguese.
    static let fillers: Set<String> = [
        "um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "like",
        "é", "hã", "ãh", "ã", "ahn", "hum", "tipo", "então", "assim",
    ]

    /// Words a sentence does not end on: conjunctions, articles, prepositions, possessives.
    static let unfinished: Set<String> = [
        "and", "but", "or", "because", "so", "the", "a", "an", "to", "of", "for", "with", "in", "on", "at", "from",
        "my", "your", "our", "their", "his", "her", "is", "are", "was", "i'd", "i'm", "want", "would", "could",
        "e", "mas", "ou", "porque", "que", "o", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "para",
        "pra", "com", "em", "no", "na", "nos", "nas", "meu", "minha", "seu", "sua", "quero", "queria", "gostaria",
    ]
}
