import CPocketSphinx
import Glibc

/// One pocketsphinx decoder: the loaded model, a grammar, and one utterance at a time.
///
/// Every method except ``make(model:label:)`` blocks and must run on ``queue`` (the pool and
/// the recogniser only call them inside `queue.run`). That confinement is why the type is
/// `@unchecked Sendable`: the reference crosses tasks, but the C decoder and the Swift
/// fields behind it are only ever touched by blocks of its own serial queue.
final class SphinxDecoder: @unchecked Sendable {
    /// What an utterance decoded to.
    struct Decoding: Sendable, Equatable {
        /// The expected phrase the decoder settled on, as given in the hints.
        var phrase: String
        /// How much better the grammar path scored than a free phone loop, per 10 ms frame
        /// (log domain): positive for speech that is one of the phrases, negative otherwise.
        var scoreMargin: Double
        var frames: Int
    }

    let queue: BlockingQueue
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    private let arguments: [UnsafeMutablePointer<CChar>?]
    private var closed = false
    private var utteranceAudio: [Int16] = []
    /// The grammar's sentences (sanitised words) → the phrase they came from.
    private var phrasesBySentence: [String: String] = [:]
    private var grammarPhrases: [String]?
    private var inUtterance = false
    private static let grammarName = "ura"
    private static let phoneLoopName = "phones"

    /// Silences pocketsphinx's chatty log once per process (it writes to stderr otherwise).
    private static let quietLog: Void = { err_set_logfp(nil) }()

    /// Loads the model on a new serial queue (hundreds of milliseconds: keep it off callers).
    static func make(model: PocketSphinxModel, label: String) async throws -> SphinxDecoder {
        let queue = BlockingQueue(label: label)
        return try await queue.run { try SphinxDecoder(model: model, queue: queue) }
    }

    private init(model: PocketSphinxModel, queue: BlockingQueue) throws(RecognizerError) {
        _ = Self.quietLog
        self.queue = queue
        let words = ["pocketsphinx", "-hmm", model.acousticModel, "-dict", model.dictionary, "-logfn", "/dev/null"]
        var arguments = words.map { strdup($0) }
        guard let config = arguments.withUnsafeMutableBufferPointer({ buffer in
            cmd_ln_parse_r(nil, ps_args(), Int32(buffer.count), buffer.baseAddress, 1)
        }) else {
            arguments.forEach { free($0) }
            throw .decoderUnavailable(model: model)
        }
        guard let decoder = ps_init(config) else {
            cmd_ln_free_r(config)
            arguments.forEach { free($0) }
            throw .decoderUnavailable(model: model)
        }
        self.config = config
        self.decoder = decoder
        self.arguments = arguments
        // A uniform phone loop (no phone language model) to measure matches against.
        guard ps_set_allphone(decoder, Self.phoneLoopName, nil) == 0 else {
            close()
            throw .decoderUnavailable(model: model)
        }
    }

    deinit {
        close()
    }

    /// Frees the model now (on the queue) rather than wherever the last reference drops.
    func close() {
        guard !closed else { return }
        closed = true
        ps_free(decoder)
        cmd_ln_free_r(config)
        arguments.forEach { free($0) }
    }

    /// Starts an utterance that accepts only `phrases`.
    ///
    /// - Returns: the phrases the grammar kept: a phrase survives when at least one of its
    ///   words is in the dictionary (unknown words are dropped, not fatal). Empty means the
    ///   utterance cannot match anything.
    func begin(phrases: [String]) throws(RecognizerError) -> [String] {
        precondition(!closed, "decoder used after close")
        if inUtterance {
            ps_end_utt(decoder)
            inUtterance = false
        }
        if grammarPhrases != phrases {
            try setGrammar(phrases)
            grammarPhrases = phrases
        }
        guard !phrasesBySentence.isEmpty else { return [] }
        guard ps_start_utt(decoder) == 0 else { throw .decoderFailed(call: "ps_start_utt") }
        utteranceAudio = []
        inUtterance = true
        return Array(Set(phrasesBySentence.values))
    }

    /// Feeds 16 kHz samples; returns the best phrase so far, if any.
    func process(_ samples: [Int16]) throws(RecognizerError) -> String? {
        guard inUtterance else { return nil }
        utteranceAudio += samples
        let result = samples.withUnsafeBufferPointer { buffer in
            ps_process_raw(decoder, buffer.baseAddress, buffer.count, 0, 0)
        }
        guard result >= 0 else { throw .decoderFailed(call: "ps_process_raw") }
        var score: Int32 = 0
        return ps_get_hyp(decoder, &score).flatMap { phrasesBySentence[String(cString: $0)] }
    }

    /// Ends the utterance; nil when no phrase fits at all.
    ///
    /// A grammar search always ends on *some* phrase, so the utterance is decoded a second
    /// time with a free phone loop (any phone may follow any other): the best any speech
    /// could score. Speech that is one of the phrases scores about as well in the grammar
    /// as in the loop; anything else scores far worse in the grammar. The difference per
    /// frame is ``Decoding/scoreMargin``.
    func finish() throws(RecognizerError) -> Decoding? {
        guard inUtterance else { return nil }
        inUtterance = false
        defer { utteranceAudio = [] }
        guard ps_end_utt(decoder) >= 0 else { throw .decoderFailed(call: "ps_end_utt") }
        var grammarScore: Int32 = 0
        guard let hypothesis = ps_get_hyp(decoder, &grammarScore) else { return nil }
        let frames = Int(ps_get_n_frames(decoder))
        guard frames > 0, let phrase = phrasesBySentence[String(cString: hypothesis)] else { return nil }
        let loopScore = try phoneLoopScore()
        return Decoding(phrase: phrase, scoreMargin: Double(grammarScore - loopScore) / Double(frames), frames: frames)
    }

    private func phoneLoopScore() throws(RecognizerError) -> Int32 {
        guard ps_set_search(decoder, Self.phoneLoopName) == 0 else { throw .decoderFailed(call: "ps_set_search") }
        defer { ps_set_search(decoder, Self.grammarName) }
        guard ps_start_utt(decoder) == 0 else { throw .decoderFailed(call: "ps_start_utt") }
        let processed = utteranceAudio.withUnsafeBufferPointer { ps_process_raw(decoder, $0.baseAddress, $0.count, 0, 0) }
        guard ps_end_utt(decoder) >= 0, processed >= 0 else { throw .decoderFailed(call: "ps_process_raw") }
        var score: Int32 = 0
        guard ps_get_hyp(decoder, &score) != nil else { throw .decoderFailed(call: "ps_get_hyp") }
        return score
    }

    private func setGrammar(_ phrases: [String]) throws(RecognizerError) {
        var sentences: [String: String] = [:]
        for phrase in phrases {
            let words = Self.words(of: phrase).filter(isInDictionary)
            guard !words.isEmpty else { continue }
            let sentence = words.joined(separator: " ")
            if sentences[sentence] == nil { sentences[sentence] = phrase }
        }
        phrasesBySentence = sentences
        guard !sentences.isEmpty else { return }
        let alternatives = sentences.keys.sorted().joined(separator: " | ")
        let grammar = "#JSGF V1.0;\ngrammar ura;\npublic <phrase> = \(alternatives);\n"
        guard ps_set_jsgf_string(decoder, Self.grammarName, grammar) == 0 else {
            phrasesBySentence = [:]
            throw .decoderFailed(call: "ps_set_jsgf_string")
        }
        guard ps_set_search(decoder, Self.grammarName) == 0 else {
            phrasesBySentence = [:]
            throw .decoderFailed(call: "ps_set_search")
        }
    }

    private func isInDictionary(_ word: String) -> Bool {
        guard let pronunciation = ps_lookup_word(decoder, word) else { return false }
        free(pronunciation)
        return true
    }

    /// Lower-case dictionary spellings: letters, digits and apostrophes, so JSGF syntax
    /// cannot leak in. Words with non-ASCII letters ("horários") cannot be in the English
    /// dictionary and are left out here already.
    static func words(of phrase: String) -> [String] {
        phrase.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .filter { $0.allSatisfy(\.isASCII) }
            .map(String.init)
    }

    /// Decodes `samples` once with a one-phrase grammar: a fresh decoder's first utterance
    /// is decoded worse (its cepstral mean starts from defaults), so a pooled decoder pays
    /// that on creation rather than on a caller's first answer.
    func warmUp(_ samples: [Int16]) throws(RecognizerError) {
        guard !samples.isEmpty, try !begin(phrases: ["hello how can i help you"]).isEmpty else { return }
        _ = try process(samples)
        _ = try finish()
    }
}
