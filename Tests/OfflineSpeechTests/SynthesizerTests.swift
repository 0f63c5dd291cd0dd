import Foundation
import Testing
import Voice
import VoiceTesting
@testable import OfflineSpeech

@Suite("Synthesizers")
struct SynthesizerTests {
    static func collect(_ stream: AsyncThrowingStream<[Int16], any Error>) async throws -> [Int16] {
        var all: [Int16] = []
        for try await chunk in stream { all += chunk }
        return all
    }

    /// Root mean square level in dBFS.
    static func level(_ samples: [Int16]) -> Double {
        let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))
        return 10 * log10(max(power, 1e-9) / (32768.0 * 32768.0))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var synthesizer: @Sendable (Int) -> any SpeechSynthesizer
        var label: String
        var language: String
        var text: String
        var testDescription: String { "\(label) \(language)" }
    }

    static let cases: [Case] = [
        Case(synthesizer: { FliteSynthesizer(voice: .slt, sampleRate: $0) }, label: "flite slt", language: "en-US",
             text: "Thank you for calling Riverside Clinic. How can I help you today?"),
        Case(synthesizer: { FliteSynthesizer(voice: .kal, sampleRate: $0) }, label: "flite kal", language: "en-US",
             text: "Thank you for calling Riverside Clinic. How can I help you today?"),
        Case(synthesizer: { EspeakSynthesizer(sampleRate: $0) }, label: "espeak-ng", language: "en-US",
             text: "Thank you for calling Riverside Clinic. How can I help you today?"),
        Case(synthesizer: { EspeakSynthesizer(sampleRate: $0) }, label: "espeak-ng", language: "pt-BR",
             text: "Obrigado por ligar para a Clínica Vida. Como posso ajudar você hoje?"),
        Case(synthesizer: { OfflineSynthesizer(sampleRate: $0) }, label: "offline", language: "pt-BR",
             text: "Para marcar uma consulta, digite três."),
    ]

    @Test(arguments: cases)
    func speechIsAudibleAndPlausiblyLong(_ example: Case) async throws {
        let wide = try await Self.collect(example.synthesizer(16000).synthesize(example.text, language: example.language))
        let seconds = Double(wide.count) / 16000
        let words = Double(example.text.split(separator: " ").count)
        // Speech runs at roughly 2 to 4 words a second, with pauses.
        #expect(seconds > words / 6 && seconds < words / 1.2, "\(seconds) s for \(Int(words)) words")
        #expect(Self.level(wide) > -35, "level \(Self.level(wide)) dBFS")

        let narrow = try await Self.collect(example.synthesizer(8000).synthesize(example.text, language: example.language))
        let ratio = Double(narrow.count) / Double(wide.count)
        #expect(abs(ratio - 0.5) < 0.02, "8 kHz output is \(ratio) of 16 kHz")
    }

    @Test func espeakPicksVoicesByLanguage() {
        #expect(EspeakSynthesizer.voice(for: "pt-BR") == "pt-br")
        #expect(EspeakSynthesizer.voice(for: "pt") == "pt-br")
        #expect(EspeakSynthesizer.voice(for: "en-US") == "en-us")
        #expect(EspeakSynthesizer.voice(for: "en-GB") == "en-gb")
        #expect(EspeakSynthesizer.voice(for: "es") == "es")
    }

    /// Each language a caller may have gets a voice (British English's voice is not named en-gb).
    @Test(arguments: ["en-GB", "en-US", "pt-BR", "es"])
    func espeakSpeaksEachLanguage(language: String) async throws {
        let samples = try await Self.collect(EspeakSynthesizer(sampleRate: 8000).synthesize("One two three.", language: language))
        #expect(samples.count > 4000, "\(language): \(samples.count) samples")
    }

    @Test func espeakIsSafeFromManyTasksAtOnce() async throws {
        let synthesizer = EspeakSynthesizer(sampleRate: 8000)
        let texts = [("Bom dia! Você ligou para a clínica.", "pt-BR"), ("Good morning, this is the clinic.", "en-US"),
                     ("Digite um para horários.", "pt-BR"), ("Press one for opening hours.", "en-US")]
        var alone: [[Int16]] = []
        for (text, language) in texts { alone.append(try await Self.collect(synthesizer.synthesize(text, language: language))) }
        // Interleaved requests in two languages must each give the audio of that text in that
        // language: about the same length as alone (espeak carries a little state between
        // texts, so lengths vary by a few percent even one after another) and never a mix of
        // two texts, which would be far longer or shorter.
        let together = try await withThrowingTaskGroup(of: (Int, [Int16]).self) { group in
            for round in 0..<3 {
                for (index, (text, language)) in texts.enumerated() {
                    group.addTask { (index, try await Self.collect(synthesizer.synthesize(text, language: language))) }
                }
                _ = round
            }
            var results: [(Int, [Int16])] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(together.count == 12)
        for (index, samples) in together {
            let ratio = Double(samples.count) / Double(alone[index].count)
            #expect(abs(ratio - 1) < 0.1, "\(texts[index].0): \(samples.count) samples, alone \(alone[index].count)")
            #expect(Self.level(samples) > -35)
        }
    }

    @Test func cancellingEspeakStopsItAndLeavesItUsable() async throws {
        let synthesizer = EspeakSynthesizer(sampleRate: 16000)
        let long = String(repeating: "Esta é uma frase longa para testar o cancelamento da síntese. ", count: 20)
        var chunks = 0
        for try await _ in synthesizer.synthesize(long, language: "pt-BR") {
            chunks += 1
            if chunks == 2 { break }
        }
        let after = try await Self.collect(synthesizer.synthesize("Até logo!", language: "pt-BR"))
        #expect(after.count > 4000 && after.count < 48000, "\(after.count) samples for a short goodbye")
    }

    @Test func espeakStreamsInSeveralChunks() async throws {
        var chunks = 0
        for try await _ in EspeakSynthesizer().synthesize("Para saber os horários de atendimento, digite um. Para o endereço, digite dois.", language: "pt-BR") {
            chunks += 1
        }
        #expect(chunks > 3)
    }
}
