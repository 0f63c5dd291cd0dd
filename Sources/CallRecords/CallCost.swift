/// What a call cost, line by line per provider.
public struct CallCost: Codable, Sendable, Equatable {
    /// One provider's usage on the call.
    public struct Line: Codable, Sendable, Equatable {
        /// The provider's name (`deepgram`, `openai`, …).
        public var provider: String
        /// What was used: `stt_audio`, `llm_input_tokens`, `tts_characters`, …
        public var item: String
        /// How much of it.
        public var quantity: Double
        /// The unit of `quantity`: `seconds`, `tokens`, `characters`.
        public var unit: String
        /// The price of this line in ``CallCost/currency``.
        public var amount: Double

        public init(provider: String, item: String, quantity: Double, unit: String, amount: Double) {
            self.provider = provider
            self.item = item
            self.quantity = quantity
            self.unit = unit
            self.amount = amount
        }
    }

    /// ISO 4217 code of every amount.
    public var currency: String
    /// Usage per provider and item, in the order it was incurred.
    public var lines: [Line]

    public init(currency: String = "USD", lines: [Line] = []) {
        self.currency = currency
        self.lines = lines
    }

    /// The sum of the lines.
    public var total: Double { lines.reduce(0) { $0 + $1.amount } }
}

extension CallCost {
    enum CodingKeys: String, CodingKey {
        case currency, lines, total
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(currency: try container.decode(String.self, forKey: .currency), lines: try container.decode([Line].self, forKey: .lines))
    }

    /// Writes ``total`` too, so readers of the JSON need not add the lines up.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currency, forKey: .currency)
        try container.encode(lines, forKey: .lines)
        try container.encode(total, forKey: .total)
    }
}
