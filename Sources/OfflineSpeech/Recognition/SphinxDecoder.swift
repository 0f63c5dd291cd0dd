import CPocketSphinx
import Glibc
import Synchronization

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
        /// The phrase's acoustic score per 10 ms frame (pocketsphinx's scaled log domain; 0 is
        /// a perfect fit, lower is worse).
        var acousticScore: Double
        var frames: Int
        /// Decoded with the language model (no phrases): any words, no rejection.
        var freeForm: Bool
    }

    let queue: BlockingQueue
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    private let arguments: [UnsafeMutablePointer<CChar>?]
    private var closed = false
    /// The grammar's sentences (sanitised words) → the phrase they came from.
    private var phrasesBySentence: [String: String] = [:]
    private var grammarPhrases: [String]?
    private var inUtterance = false
    private var freeForm = false
    private let hasLanguageModel: Bool
    /// `-lw`, which weights grammar transitions as `ps_set_jsgf_string` would.
    private let languageWeight: Float
    private static let grammarName = "ura"
    /// pocketsphinx's name for the search `-lm` creates.
    private static let languageModelName = "_default"

    /// Silences pocketsphinx's chatty log once per process (it writes to stderr otherwise).
    private static let quietLog: Void = { err_set_logfp(nil) }()

    /// Loads the model on a new serial queue (hundreds of milliseconds: keep it off callers).
    static func make(model: PocketSphinxModel, label: String) async throws -> SphinxDecoder {
        let queue = BlockingQueue(label: label)
        // One ps_init at a time: sphinxbase sets process-wide state while a decoder is created.
        return try await queue.run { try creation.withLock { _ in try SphinxDecoder(model: model, queue: queue) } }
    }

    private static let creation = Mutex(())

    private init(model: PocketSphinxModel, queue: BlockingQueue) throws(RecognizerError) {
        _ = Self.quietLog
        self.queue = queue
        // No `-logfn`: it makes every ps_init reopen sphinxbase's one global log FILE and fclose
        // the previous one, which decoders loading on other threads may be writing to — heap
        // corruption and crashes when calls load decoders at the same time. `quietLog` already
        // turned logging off for the whole process.
        var words = ["pocketsphinx", "-hmm", model.acousticModel, "-dict", model.dictionary]
        if let languageModel = model.languageModel { words += ["-lm", languageModel] }
        hasLanguageModel = model.languageModel != nil
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
        languageWeight = Float(cmd_ln_float_r(config, "-lw"))
        self.arguments = arguments
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

    /// Starts an utterance that accepts only `phrases` — or anything, through the model's
    /// language model, when no phrase is usable and the model has one.
    ///
    /// A phrase is usable when at least one of its words is in the dictionary (unknown words
    /// are dropped, not fatal).
    /// - Returns: false when the utterance cannot match anything.
    func begin(phrases: [String]) throws(RecognizerError) -> Bool {
        precondition(!closed, "decoder used after close")
        if inUtterance {
            ps_end_utt(decoder)
            inUtterance = false
        }
        if grammarPhrases != phrases {
            try setGrammar(phrases)
            grammarPhrases = phrases
        }
        freeForm = phrasesBySentence.isEmpty
        guard !freeForm || hasLanguageModel else { return false }
        guard ps_set_search(decoder, freeForm ? Self.languageModelName : Self.grammarName) == 0 else {
            throw .decoderFailed(call: "ps_set_search")
        }
        guard ps_start_utt(decoder) == 0 else { throw .decoderFailed(call: "ps_start_utt") }
        inUtterance = true
        return true
    }

    /// Feeds 16 kHz samples; returns the best phrase so far, if any.
    func process(_ samples: [Int16]) throws(RecognizerError) -> String? {
        guard inUtterance else { return nil }
        let result = samples.withUnsafeBufferPointer { buffer in
            ps_process_raw(decoder, buffer.baseAddress, buffer.count, 0, 0)
        }
        guard result >= 0 else { throw .decoderFailed(call: "ps_process_raw") }
        var score: Int32 = 0
        return ps_get_hyp(decoder, &score).flatMap { sentence($0) }
    }

    /// Ends the utterance; nil when no phrase fits at all.
    func finish() throws(RecognizerError) -> Decoding? {
        guard inUtterance else { return nil }
        inUtterance = false
        guard ps_end_utt(decoder) >= 0 else { throw .decoderFailed(call: "ps_end_utt") }
        var score: Int32 = 0
        guard let hypothesis = ps_get_hyp(decoder, &score), let phrase = sentence(hypothesis) else { return nil }
        // The path's acoustic score over the phrase's words only: silence and fillers around
        // them would dilute it by however long the caller paused.
        var acoustic = 0
        var frames = 0
        var segment = ps_seg_iter(decoder)
        while let current = segment {
            let word = String(cString: ps_seg_word(current))
            if !word.hasPrefix("<"), !word.hasPrefix("["), !word.hasPrefix("+") {
                var start: Int32 = 0, end: Int32 = 0, wordAcoustic: Int32 = 0, language: Int32 = 0, backoff: Int32 = 0
                ps_seg_frames(current, &start, &end)
                _ = ps_seg_prob(current, &wordAcoustic, &language, &backoff)
                acoustic += Int(wordAcoustic)
                frames += Int(end - start + 1)
            }
            segment = ps_seg_next(current)
        }
        guard frames > 0 else { return nil }
        return Decoding(phrase: phrase, acousticScore: Double(acoustic) / Double(frames), frames: frames, freeForm: freeForm)
    }

    /// The phrase a hypothesis stands for; free-form hypotheses stand for themselves.
    private func sentence(_ hypothesis: UnsafePointer<CChar>) -> String? {
        let text = String(cString: hypothesis)
        if freeForm { return text.isEmpty ? nil : text }
        return phrasesBySentence[text]
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
        do {
            try installGrammar(grammar)
        } catch {
            phrasesBySentence = [:]
            throw error
        }
    }

    /// Replaces the grammar search with `jsgf` and selects it.
    ///
    /// Does what `ps_set_jsgf_string` does, because Debian's pocketsphinx 5prealpha never
    /// frees the JSGF grammar that call parses: 8–10 KB lost on every grammar change, and a
    /// pooled decoder changes grammar on almost every utterance.
    private func installGrammar(_ jsgf: String) throws(RecognizerError) {
        guard let grammar = jsgf_parse_string(jsgf, nil) else { throw .decoderFailed(call: "jsgf_parse_string") }
        defer { jsgf_grammar_free(grammar) }
        guard let rule = jsgf_get_public_rule(grammar) else { throw .decoderFailed(call: "jsgf_get_public_rule") }
        guard let fsg = jsgf_build_fsg(grammar, rule, ps_get_logmath(decoder), languageWeight) else {
            throw .decoderFailed(call: "jsgf_build_fsg")
        }
        // The search retains the model; this drops the reference jsgf_build_fsg gave us.
        defer { fsg_model_free(fsg) }
        // Replacing the search frees the previous one, which may be the selected search:
        // select the new one at once so the decoder never points at freed memory.
        guard ps_set_fsg(decoder, Self.grammarName, fsg) == 0 else { throw .decoderFailed(call: "ps_set_fsg") }
        guard ps_set_search(decoder, Self.grammarName) == 0 else { throw .decoderFailed(call: "ps_set_search") }
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
        guard !samples.isEmpty, try begin(phrases: ["hello how can i help you"]) else { return }
        _ = try process(samples)
        _ = try finish()
    }
}
