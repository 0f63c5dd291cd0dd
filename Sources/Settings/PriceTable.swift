/// What provider usage costs, per provider (`PROVIDER_PRICES`).
///
/// The variable lists `provider.meter=price` pairs separated by commas, prices in any one
/// currency: `openai.prompt_per_mtok=0.15,openai.completion_per_mtok=0.6,openai.stt_per_minute=0.006,openai.tts_per_mchar=15`.
/// Meters are priced the way vendors publish them: per million tokens, per minute of audio,
/// per million characters. A provider or meter left out costs nothing.
public struct PriceTable: Sendable, Equatable {
    /// One provider's prices.
    public struct Rates: Sendable, Equatable {
        public var promptPerMillionTokens: Double = 0
        public var completionPerMillionTokens: Double = 0
        public var transcriptionPerMinute: Double = 0
        public var synthesisPerMillionCharacters: Double = 0

        public init(
            promptPerMillionTokens: Double = 0, completionPerMillionTokens: Double = 0,
            transcriptionPerMinute: Double = 0, synthesisPerMillionCharacters: Double = 0
        ) {
            self.promptPerMillionTokens = promptPerMillionTokens
            self.completionPerMillionTokens = completionPerMillionTokens
            self.transcriptionPerMinute = transcriptionPerMinute
            self.synthesisPerMillionCharacters = synthesisPerMillionCharacters
        }
    }

    /// Rates by provider name (`openai`, `local`, `google`).
    public var rates: [String: Rates]

    public init(rates: [String: Rates] = [:]) { self.rates = rates }

    /// The provider's rates; all zero when it is not listed.
    public func rates(for provider: String) -> Rates { rates[provider] ?? Rates() }

    /// Parses the `PROVIDER_PRICES` syntax; the empty string is an empty table.
    /// - Throws: ``ConfigurationError`` naming `variable`.
    public init(parsing text: String, variable: String) throws(ConfigurationError) {
        let example = "\(variable)=openai.prompt_per_mtok=0.15,openai.completion_per_mtok=0.6"
        var rates: [String: Rates] = [:]
        for entry in text.split(separator: ",") {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let key = pair.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
            guard pair.count == 2, key.count == 2, !key[0].isEmpty else {
                throw ConfigurationError(variable: variable, problem: "has \"\(entry)\", not provider.meter=price", example: example)
            }
            guard let price = Double(pair[1]), price.isFinite, price >= 0 else {
                throw ConfigurationError(variable: variable, problem: "prices \(pair[0]) at \"\(pair[1])\", not a number ≥ 0", example: example)
            }
            var provider = rates[key[0]] ?? Rates()
            switch key[1] {
            case "prompt_per_mtok": provider.promptPerMillionTokens = price
            case "completion_per_mtok": provider.completionPerMillionTokens = price
            case "stt_per_minute": provider.transcriptionPerMinute = price
            case "tts_per_mchar": provider.synthesisPerMillionCharacters = price
            default:
                throw ConfigurationError(
                    variable: variable,
                    problem: "has meter \"\(key[1])\", not one of prompt_per_mtok, completion_per_mtok, stt_per_minute, tts_per_mchar",
                    example: example)
            }
            rates[key[0]] = provider
        }
        self.rates = rates
    }
}
