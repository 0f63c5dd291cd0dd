import Testing
import Voice
@testable import OfflineSpeech

@Suite("PocketSphinxRecognizer")
struct RecognizerTests {
    /// The English clinic menu's phrases, as FlowBrain hands them over.
    static let menu = [
        "opening hours", "hours", "when are you open", "address", "where are you", "book an appointment", "appointment",
        "make an appointment", "front desk", "operator", "talk to someone", "agent",
    ]

    func transcripts(saying text: String, phrases: [String], voice: FliteVoice = .slt) async throws -> [Transcript] {
        let recognizer = PocketSphinxRecognizer(pool: try await SharedPool.shared.freshPool())
        let frames = try await PhoneLine.frames(saying: text, voice: voice)
        var result: [Transcript] = []
        for try await transcript in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US", phrases: phrases)) {
            result.append(transcript)
        }
        return result
    }

    @Test(arguments: [
        ("opening hours", FliteVoice.slt), ("book an appointment", .slt), ("make an appointment", .slt), ("when are you open", .slt),
        ("where are you", .slt), ("operator", .slt), ("address", .kal), ("make an appointment", .kal), ("opening hours", .kal),
    ])
    func theSpokenPhraseWins(phrase: String, voice: FliteVoice) async throws {
        let transcripts = try await transcripts(saying: phrase, phrases: Self.menu, voice: voice)
        let final = try #require(transcripts.last)
        #expect(final.isFinal)
        #expect(final.text == phrase)
        #expect(transcripts.dropLast().allSatisfy { !$0.isFinal }, "exactly one final transcript, at the end")
        #expect(transcripts.dropLast().allSatisfy { Self.menu.contains($0.text) }, "partials are phrases too")
    }

    @Test(arguments: ["the weather is nice today", "good morning", "I would like a pizza with cheese", "front row seats", "I want to speak to the manager"])
    func speechOutsideTheGrammarIsRejected(utterance: String) async throws {
        let final = try #require(try await transcripts(saying: utterance, phrases: Self.menu).last)
        #expect(final.isFinal)
        #expect(final.text == "", "\"\(utterance)\" was taken for \"\(final.text)\"")
    }

    @Test func phrasesInAnotherLanguageAreDroppedNotFatal() async throws {
        let portuguese = try await transcripts(saying: "book an appointment", phrases: ["horários", "endereço", "marcar consulta"])
        #expect(portuguese.map(\.text) == [""])
        #expect(portuguese.last?.isFinal == true)
        let mixed = try await transcripts(saying: "book an appointment", phrases: ["horários", "book an appointment", "opening hours", "{<bad|grammar>}"])
        #expect(mixed.last?.text == "book an appointment")
    }

    @Test func grammarFollowsTheHintsOfEachUtterance() async throws {
        let menu = try await transcripts(saying: "pediatrics", phrases: ["general practice", "pediatrics", "main menu"])
        #expect(menu.last?.text == "pediatrics")
        let yesNo = try await transcripts(saying: "no thanks", phrases: ["yes", "main menu", "no thanks", "goodbye"])
        #expect(yesNo.last?.text == "no thanks")
    }

    @Test func decodersAreReused() async throws {
        let pool = DecoderPool(maximumIdle: 1, warmUpAudio: [])
        let recognizer = PocketSphinxRecognizer(pool: pool)
        let frames = try await PhoneLine.frames(saying: "front desk")
        for _ in 1...3 {
            for try await _ in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US", phrases: Self.menu)) {}
        }
        #expect(pool.statistics == .init(created: 1, idle: 1, leased: 0))

        // Two utterances at once need two decoders; only maximumIdle stay loaded.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 1...2 {
                group.addTask {
                    for try await _ in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US", phrases: Self.menu)) {}
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.statistics == .init(created: 2, idle: 1, leased: 0))
    }

    @Test func prewarmLoadsDecodersAhead() async throws {
        let pool = DecoderPool(maximumIdle: 2, warmUpAudio: [])
        try await pool.prewarm(2)
        #expect(pool.statistics == .init(created: 2, idle: 2, leased: 0))
    }

    @Test func aMissingModelIsATypedError() async throws {
        let model = PocketSphinxModel(acousticModel: "/nonexistent/en-us", dictionary: "/nonexistent/dict")
        let recognizer = PocketSphinxRecognizer(pool: DecoderPool(model: model))
        await #expect(throws: RecognizerError.decoderUnavailable(model: model)) {
            for try await _ in recognizer.transcribe(PhoneLine.stream([[0, 0]]), hints: RecognitionHints(language: "en-US", phrases: ["yes"])) {}
        }
    }
}

@Suite("PocketSphinxRecognizer free-form")
struct FreeFormRecognizerTests {
    @Test func withoutPhrasesTheLanguageModelHearsAnything() async throws {
        let pool = DecoderPool(model: .debianEnglishFreeForm, maximumIdle: 1, warmUpAudio: try await PocketSphinxRecognizer.warmUpAudio())
        let recognizer = PocketSphinxRecognizer(pool: pool)
        let frames = try await PhoneLine.frames(saying: "I would like to book an appointment for tomorrow morning")
        var final: Transcript?
        for try await transcript in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US")) where transcript.isFinal {
            final = transcript
        }
        let words = Set(try #require(final).text.split(separator: " "))
        // Free-form recognition of phone audio is rough (and hopeless on a decoder that was
        // not warmed up); a few of the words must survive.
        #expect(words.intersection(["book", "appointment", "tomorrow", "morning"]).count >= 2, "\(final?.text ?? "")")
    }

    @Test func grammarOnlyModelsHearNothingWithoutPhrases() async throws {
        let recognizer = PocketSphinxRecognizer(pool: try await SharedPool.shared.pool())
        let frames = try await PhoneLine.frames(saying: "book an appointment")
        var finals: [String] = []
        for try await transcript in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US")) {
            finals.append(transcript.text)
        }
        #expect(finals == [""])
        #expect(PocketSphinxRecognizer.supports(language: "en-GB"))
        #expect(!PocketSphinxRecognizer.supports(language: "pt-BR"))
    }
}
