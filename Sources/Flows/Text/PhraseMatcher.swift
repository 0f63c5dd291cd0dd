import Foundation

/// Decides which expected phrase a transcript says, forgiving case, accents and punctuation.
///
/// A grammar recogniser returns one of the phrases verbatim (minus punctuation); a
/// large-vocabulary one returns free text such as "Uh, I'd like the opening hours please".
/// Both match when the phrase's words appear in the transcript as consecutive whole words;
/// the longest matching phrase wins, so "opening hours" beats "hours".
public enum PhraseMatcher {
    /// Lower case, no diacritics, words separated by single spaces, punctuation gone.
    public static func normalize(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let words = folded.split { !$0.isLetter && !$0.isNumber && $0 != "'" }
        return words.joined(separator: " ")
    }

    /// The index in `candidates` of the longest phrase that `transcript` contains, or nil.
    public static func bestMatch(in transcript: String, among candidates: [String]) -> Int? {
        let said = " " + normalize(transcript) + " "
        var best: (index: Int, length: Int)?
        for (index, candidate) in candidates.enumerated() {
            let phrase = normalize(candidate)
            guard !phrase.isEmpty, said.contains(" " + phrase + " ") else { continue }
            if phrase.count > (best?.length ?? 0) { best = (index, phrase.count) }
        }
        return best?.index
    }
}
