import Settings
import Testing
@testable import Providers

@Suite("Cost meter")
struct CostMeterTests {
    let prices = PriceTable(rates: [
        "openai": .init(promptPerMillionTokens: 0.15, completionPerMillionTokens: 0.6, transcriptionPerMinute: 0.006, synthesisPerMillionCharacters: 15),
        "google": .init(transcriptionPerMinute: 0.024),
    ])

    @Test func sumsUsageAndCostPerProviderAndIntoTheParent() {
        let total = CostMeter(prices: prices)
        let call = CostMeter(prices: prices, parent: total)
        call.record("openai", ProviderUsage(promptTokens: 1_000_000, completionTokens: 500_000))
        call.record("openai", ProviderUsage(audioSeconds: 30, characters: 200_000))
        call.record("google", ProviderUsage(audioSeconds: 120))
        call.record("local", ProviderUsage(promptTokens: 10_000))
        let report = call.report()
        #expect(report.usage["openai"] == ProviderUsage(promptTokens: 1_000_000, completionTokens: 500_000, audioSeconds: 30, characters: 200_000))
        let openAI = 0.15 + 0.3 + 0.003 + 3.0
        #expect(abs((report.costs["openai"] ?? -1) - openAI) < 1e-9)
        #expect(abs((report.costs["google"] ?? -1) - 0.048) < 1e-9)
        #expect(report.costs["local"] == 0)
        #expect(abs(report.total - (openAI + 0.048)) < 1e-9)
        let other = CostMeter(prices: prices, parent: total)
        other.record("google", ProviderUsage(audioSeconds: 60))
        #expect(abs(total.report().total - (openAI + 0.048 + 0.024)) < 1e-9)
        #expect(other.report().usage["openai"] == nil)
    }
}
