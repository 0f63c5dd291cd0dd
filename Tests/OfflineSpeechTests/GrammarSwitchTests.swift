import Testing
import Voice
@testable import OfflineSpeech

/// A pooled decoder changes grammar on almost every utterance (it serves many calls and flow
/// states): each change must decode with the new grammar and must not cost memory for good.
@Suite("SphinxDecoder grammar switches")
struct GrammarSwitchTests {
    static let yesNo = ["yes", "no", "main menu", "goodbye"]

    @Test func oneDecoderAlternatingGrammarsHearsEachUtteranceInItsOwn() async throws {
        let pool = DecoderPool(maximumIdle: 1, warmUpAudio: try await PocketSphinxRecognizer.warmUpAudio())
        let recognizer = PocketSphinxRecognizer(pool: pool)
        let turns = [
            ("opening hours", RecognizerTests.menu), ("goodbye", Self.yesNo), ("book an appointment", RecognizerTests.menu),
            ("main menu", Self.yesNo), ("where are you", RecognizerTests.menu), ("goodbye", Self.yesNo),
        ]
        for (said, phrases) in turns {
            let frames = try await PhoneLine.frames(saying: said)
            var final: Transcript?
            for try await transcript in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US", phrases: phrases))
            where transcript.isFinal {
                final = transcript
            }
            #expect(final?.text == said)
        }
        #expect(pool.statistics.created == 1, "every utterance ran on the same decoder")
    }

    @Test func switchingGrammarsDoesNotGrowMemory() async throws {
        let decoder = try await SphinxDecoder.make(model: .debianEnglish, label: "grammar-switch-test")
        let silence = [Int16](repeating: 0, count: 320)
        let switches = { @Sendable (count: Int) throws in
            for index in 0..<count {
                _ = try decoder.begin(phrases: index.isMultiple(of: 2) ? RecognizerTests.menu : Self.yesNo)
                _ = try decoder.process(silence)
                _ = try decoder.finish()
            }
        }
        // Allocator pools and pocketsphinx's own buffers settle in the first switches.
        try await decoder.queue.run { try switches(100) }
        let before = try ResidentMemory.bytes()
        try await decoder.queue.run { try switches(2000) }
        let growth = try ResidentMemory.bytes() - before
        #expect(growth < 4 << 20, "resident memory grew \(growth / 1024) KB over 2000 grammar switches")
        decoder.queue.detach { decoder.close() }
    }
}
