import CEspeakNG
import Glibc
import Synchronization

/// The process's espeak-ng: global C state, so one owner serialises every call.
///
/// espeak-ng keeps its voice, parameters and output buffers in globals and is not
/// thread-safe. The single ``shared`` engine owns it: every C call happens in a block of its
/// serial ``queue``, which is why the type is `@unchecked Sendable`. The library is
/// initialised (synchronous mode, audio handed to a callback) on the first synthesis.
final class EspeakEngine: @unchecked Sendable {
    static let shared = EspeakEngine()

    let queue = BlockingQueue(label: "ura.espeak-ng")
    /// espeak-ng's output rate, once initialised (22 050 Hz with the stock data).
    private var outputRate: Int?
    private var currentVoice: String?

    private init() {}

    /// Synthesises `text` with `voice`, handing each buffer to `sink` as espeak produces it,
    /// until `sink` is cancelled. Blocks: call only inside a block of ``queue``.
    func synthesize(_ text: String, voice: String, sink: Sink) throws(SynthesizerError) {
        try initialize()
        if currentVoice != voice {
            // A voice's name is not always its language (British English is the file `gmw/en`):
            // by name first, then by language, as espeak-ng picks voices for a language.
            guard espeak_SetVoiceByName(voice) == EE_OK || Self.setVoice(language: voice) else {
                throw .voiceUnavailable(engine: "espeak-ng", voice: voice)
            }
            currentVoice = voice
        }
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let status = text.withCString { pointer in
            espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0,
                         UInt32(espeakCHARS_UTF8), nil, box.toOpaque())
        }
        guard status == EE_OK else { throw .synthesisFailed(engine: "espeak-ng") }
    }

    private static func setVoice(language: String) -> Bool {
        language.withCString { pointer in
            var spec = espeak_VOICE()
            spec.languages = pointer
            return espeak_SetVoiceByProperties(&spec) == EE_OK
        }
    }

    private func initialize() throws(SynthesizerError) {
        if outputRate != nil { return }
        // 100 ms buffers: the first audio reaches the caller after one of them.
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, nil, 0)
        guard rate > 0 else { throw .voiceUnavailable(engine: "espeak-ng", voice: "(data not found)") }
        espeak_SetSynthCallback { samples, count, events in
            guard let userData = events?.pointee.user_data else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
            guard let samples, count > 0 else { return sink.isCancelled ? 1 : 0 }
            // The callback runs inside espeak_Synth, on the queue: reading the engine is safe.
            let rate = EspeakEngine.shared.outputRate ?? 22050
            return sink.deliver(UnsafeBufferPointer(start: samples, count: Int(count)), rate: rate) ? 0 : 1
        }
        outputRate = Int(rate)
    }

    /// Where one synthesis's audio goes, reached from espeak's C callback through its
    /// `user_data` pointer.
    final class Sink: Sendable {
        private let body: @Sendable (UnsafeBufferPointer<Int16>, Int) -> Void
        private let cancelled = Atomic<Bool>(false)

        /// - Parameter body: receives each buffer and its sample rate, on the engine's queue.
        init(_ body: @escaping @Sendable (UnsafeBufferPointer<Int16>, Int) -> Void) {
            self.body = body
        }

        var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

        /// Asks espeak to stop at its next buffer.
        func cancel() { cancelled.store(true, ordering: .relaxed) }

        fileprivate func deliver(_ samples: UnsafeBufferPointer<Int16>, rate: Int) -> Bool {
            guard !isCancelled else { return false }
            body(samples, rate)
            return true
        }
    }
}
