/// An answer a ``FlowState`` accepts — spoken phrases, DTMF keys or both — and what follows it.
public struct FlowInput: Sendable, Equatable {
    /// The keys that select this input ("1", "0", "#"), if any.
    public var digits: String?
    /// Phrases by BCP 47 language; the key `*` holds phrases for every language.
    public var phrases: [String: [String]]
    /// Run when the input is chosen.
    public var steps: [FlowStep]

    /// An input selected by `digits` and/or `phrases` that runs `steps`.
    public init(digits: String? = nil, phrases: [String: [String]] = [:], steps: [FlowStep]) {
        self.digits = digits
        self.phrases = phrases
        self.steps = steps
    }

    /// The phrases that select this input in `language` (the `*` ones, then the language's own).
    public func phrases(for language: String) -> [String] {
        (phrases["*"] ?? []) + (LocalizedText.bestKey(for: language, among: phrases.keys.filter { $0 != "*" }).flatMap { phrases[$0] } ?? [])
    }
}
