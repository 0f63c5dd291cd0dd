import Synchronization
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
        #expect(Self.counts(pool) == [1, 1, 0, 0])

        // Two utterances at once need two decoders; only maximumIdle stay loaded.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 1...2 {
                group.addTask {
                    for try await _ in recognizer.transcribe(PhoneLine.stream(frames), hints: RecognitionHints(language: "en-US", phrases: Self.menu)) {}
                }
            }
            try await group.waitForAll()
        }
        #expect(Self.counts(pool) == [2, 1, 0, 0])
    }

    /// Created, idle, leased, waits.
    static func counts(_ pool: DecoderPool) -> [Int] {
        let statistics = pool.statistics
        return [statistics.created, statistics.idle, statistics.leased, statistics.waits]
    }

    @Test func utterancesBeyondTheLoadedLimitWaitTheirTurnForADecoder() async throws {
        let pool = DecoderPool(maximumIdle: 1, maximumLoaded: 1, warmUpAudio: [])
        final class Order: Sendable { let indices = Mutex<[Int]>([]) }
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    // Staggered so the queue order is known: 0 loads, 1 and 2 wait in that order.
                    try await Task.sleep(for: .milliseconds(30 * index))
                    let decoder = try await pool.lease()
                    order.indices.withLock { $0.append(index) }
                    try await Task.sleep(for: .milliseconds(150))
                    pool.giveBack(decoder)
                }
            }
            try await group.waitForAll()
        }
        #expect(order.indices.withLock { $0 } == [0, 1, 2], "first come, first served")
        let statistics = pool.statistics
        #expect(statistics.created == 1 && statistics.mostLoaded == 1 && statistics.leased == 0 && statistics.waiting == 0)
        #expect(statistics.waits == 2)
        #expect(statistics.longestWait >= .milliseconds(200) && statistics.totalWait >= statistics.longestWait)
    }

    @Test func aCancelledWaiterLeavesTheQueueAndTheDecoderGoesToTheNext() async throws {
        let pool = DecoderPool(maximumIdle: 1, maximumLoaded: 1, warmUpAudio: [])
        let held = try await pool.lease()
        let cancelled = Task { try await pool.lease() }
        let next = Task { try await pool.lease() }
        while pool.statistics.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(pool.statistics.waiting == 1)
        pool.giveBack(held)
        let handed = try await next.value
        #expect(handed === held, "the one decoder went to the waiter still in line")
        pool.giveBack(handed)
        #expect(Self.counts(pool) == [1, 1, 0, 2])
    }

    @Test func prewarmLoadsDecodersAheadWithinTheLimits() async throws {
        let pool = DecoderPool(maximumIdle: 2, warmUpAudio: [])
        try await pool.prewarm(2)
        #expect(Self.counts(pool) == [2, 2, 0, 0])
        let capped = DecoderPool(maximumIdle: 4, maximumLoaded: 1, warmUpAudio: [])
        try await capped.prewarm(3)
        #expect(Self.counts(capped) == [1, 1, 0, 0])
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
