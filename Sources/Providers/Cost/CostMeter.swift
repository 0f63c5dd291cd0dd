import Settings
import Synchronization

/// Sums provider usage and its price, for one call or (as a call meter's parent) the whole process.
///
/// Providers built for a call record into that call's meter as requests complete; the
/// pipeline reads ``report()`` for the call record and metrics. Thread-safe (a Mutex); a
/// recording also goes to the parent, so a process-wide meter sees every call's usage.
public final class CostMeter: Sendable {
    /// A priced snapshot.
    public struct Report: Sendable, Equatable {
        /// Usage by provider name.
        public var usage: [String: ProviderUsage]
        /// Cost by provider name, in the price table's currency.
        public var costs: [String: Double]
        /// The sum of ``costs``.
        public var total: Double
    }

    private let prices: PriceTable
    private let parent: CostMeter?
    private let usage = Mutex<[String: ProviderUsage]>([:])

    /// - Parameter parent: a meter that also receives every recording (the process total).
    public init(prices: PriceTable, parent: CostMeter? = nil) {
        self.prices = prices
        self.parent = parent
    }

    /// Adds `amount` to what `provider` consumed.
    public func record(_ provider: String, _ amount: ProviderUsage) {
        usage.withLock { $0[provider, default: ProviderUsage()] = $0[provider, default: ProviderUsage()] + amount }
        parent?.record(provider, amount)
    }

    /// Usage and cost so far.
    public func report() -> Report {
        let usage = usage.withLock { $0 }
        var costs: [String: Double] = [:]
        for (provider, used) in usage { costs[provider] = Self.cost(of: used, at: prices.rates(for: provider)) }
        return Report(usage: usage, costs: costs, total: costs.values.reduce(0, +))
    }

    /// The price of `usage` at `rates`.
    public static func cost(of usage: ProviderUsage, at rates: PriceTable.Rates) -> Double {
        Double(usage.promptTokens) * rates.promptPerMillionTokens / 1_000_000
            + Double(usage.completionTokens) * rates.completionPerMillionTokens / 1_000_000
            + usage.audioSeconds * rates.transcriptionPerMinute / 60
            + Double(usage.characters) * rates.synthesisPerMillionCharacters / 1_000_000
    }
}
