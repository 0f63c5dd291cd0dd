import CFlite

/// One flite voice, loaded once per process, with the serial queue that synthesises with it.
///
/// flite keeps per-voice state (features the synthesis reads and writes), so one voice is
/// used by one block at a time: every C call happens in a block of ``queue``, which is why
/// the type is `@unchecked Sendable`.
final class FliteEngine: @unchecked Sendable {
    let voice: FliteVoice
    let queue: BlockingQueue
    private let handle: UnsafeMutablePointer<cst_voice>?

    private static let initialized: Void = { flite_init() }()
    private static let engines = FliteVoice.allCases.map { FliteEngine(voice: $0) }

    /// The process-wide engine of `voice` (its model is loaded on first use).
    static func shared(_ voice: FliteVoice) -> FliteEngine {
        engines.first { $0.voice == voice }!
    }

    private init(voice: FliteVoice) {
        _ = Self.initialized
        self.voice = voice
        queue = BlockingQueue(label: "ura.flite.\(voice.rawValue)")
        // Registration only builds small tables; the voice data is compiled into the library.
        switch voice {
        case .slt: handle = register_cmu_us_slt(nil)
        case .kal: handle = register_cmu_us_kal(nil)
        }
    }

    /// Synthesises `text` whole. Blocks: call only inside a block of ``queue``.
    func synthesize(_ text: String) throws(SynthesizerError) -> (samples: [Int16], sampleRate: Int) {
        guard let handle else { throw .voiceUnavailable(engine: "flite", voice: voice.rawValue) }
        guard let wave = flite_text_to_wave(text, handle) else { throw .synthesisFailed(engine: "flite") }
        defer { delete_wave(wave) }
        let count = Int(wave.pointee.num_samples)
        let rate = Int(wave.pointee.sample_rate)
        guard count > 0, rate > 0, let samples = wave.pointee.samples else { return ([], max(rate, 1)) }
        return (Array(UnsafeBufferPointer(start: samples, count: count)), rate)
    }
}
