/// Text in one or more languages, chosen by the call's BCP 47 language.
///
/// The key `*` holds text for any language (a flow written in one language only).
public struct LocalizedText: Sendable, Equatable {
    /// Text by BCP 47 language, or `*`.
    public var texts: [String: String]

    /// Text by language tag (`*` for any).
    public init(_ texts: [String: String]) {
        self.texts = texts
    }

    /// Text for every language.
    public init(_ text: String) {
        texts = ["*": text]
    }

    /// The text for `language`: its exact tag, else the same primary language (`pt` for
    /// `pt-PT`), else `*`, else the first of `fallbackLanguages` that has one.
    public func text(for language: String, fallbackLanguages: [String] = []) -> String? {
        if let key = Self.bestKey(for: language, among: texts.keys.filter { $0 != "*" }) { return texts[key] }
        if let any = texts["*"] { return any }
        for fallback in fallbackLanguages {
            if let key = Self.bestKey(for: fallback, among: Array(texts.keys)) { return texts[key] }
        }
        return nil
    }

    /// The key of `keys` that serves `language` best, comparing case-insensitively: the exact
    /// tag, then the same primary subtag.
    static func bestKey(for language: String, among keys: [String]) -> String? {
        let wanted = language.lowercased()
        if let exact = keys.first(where: { $0.lowercased() == wanted }) { return exact }
        let primary = wanted.split(separator: "-").first.map(String.init) ?? wanted
        return keys.sorted().first { ($0.lowercased().split(separator: "-").first.map(String.init) ?? "") == primary }
    }
}
