import Testing
import Voice
import VoiceTesting
@testable import OfflineSpeech

@Suite("Prompt audio cache")
struct PromptCacheTests {
    @Test func repeatedSentencesAreSynthesisedOnce() async throws {
        let base = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10))
        let synthesizer = CachingSynthesizer(base, cache: PromptAudioCache())
        var first: [Int16] = []
        for try await chunk in synthesizer.synthesize("Digite 1 para horários.", language: "pt-BR") { first += chunk }
        var second: [Int16] = []
        for try await chunk in synthesizer.synthesize("Digite 1 para horários.", language: "pt-BR") { second += chunk }
        for try await _ in synthesizer.synthesize("Digite 1 para horários.", language: "en-US") {}
        #expect(!first.isEmpty)
        #expect(second == first)
        #expect(base.synthesized == ["Digite 1 para horários.", "Digite 1 para horários."], "the other language is another entry")
    }

    @Test func leastRecentlyUsedEntriesGoFirst() {
        let cache = PromptAudioCache(maximumSamples: 300)
        func key(_ text: String) -> PromptAudioCache.Key { .init(engine: "e", language: "en", text: text, sampleRate: 8000) }
        cache.store(Array(repeating: 1, count: 100), for: key("a"))
        cache.store(Array(repeating: 2, count: 100), for: key("b"))
        cache.store(Array(repeating: 3, count: 100), for: key("c"))
        _ = cache.samples(for: key("a"))
        cache.store(Array(repeating: 4, count: 100), for: key("d"))
        #expect(cache.samples(for: key("b")) == nil)
        #expect(cache.samples(for: key("a")) != nil && cache.samples(for: key("c")) != nil && cache.samples(for: key("d")) != nil)
        #expect(cache.totalSamples == 300)
        cache.store(Array(repeating: 5, count: 301), for: key("huge"))
        #expect(cache.count == 3, "audio larger than the bound is not kept")
        cache.store(Array(repeating: 6, count: 50), for: key("a"))
        #expect(cache.totalSamples == 250)
    }
}
