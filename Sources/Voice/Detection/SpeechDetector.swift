/// Turns per-frame VAD decisions into speech segments a conversation can use.
///
/// Speech starts only after ``Settings/minimumSpeech`` of voiced frames (a click or a cough is
/// shorter), ends after ``Settings/hangover`` of unvoiced ones (the gaps between words are
/// shorter), and a frame only counts as voiced when it is also louder than the running noise
/// floor by ``Settings/noiseMargin`` — steady line noise that the VAD calls speech is ignored.
/// When speech starts, the last ``Settings/preRoll`` of audio comes with it, so a recogniser
/// hears the first syllable that the detector needed to become sure.
///
/// Fed one 20 ms frame at a time by the call's audio path; not thread-safe.
public final class SpeechDetector {
    /// Tuning of the detector; defaults suit 8 or 16 kHz phone audio.
    public struct Settings: Sendable, Equatable {
        /// Voiced time before speech counts as started: enough to reject clicks, short enough
        /// that the bot pauses quickly when the caller talks over it.
        public var minimumSpeech: Duration = .milliseconds(60)
        public var hangover: Duration = .milliseconds(240)
        public var preRoll: Duration = .milliseconds(300)
        /// How far above the noise floor (dB) a frame must be to count as speech.
        public var noiseMargin: Double = 6
        /// Frames quieter than this (dBFS) never count as speech.
        public var silenceFloor: Double = -55

        public init() {}
    }

    /// What one frame meant.
    public enum Output: Equatable, Sendable {
        /// Not (yet) speech.
        case silence
        /// Speech began; `audio` is the pre-roll followed by this frame.
        case speechStarted(audio: [Int16])
        /// More speech (pauses shorter than the hangover included).
        case speech
        /// The hangover passed without speech.
        case speechEnded
    }

    public let settings: Settings
    private let vad: VoiceActivityDetector
    private let frameDuration: Duration
    private var speaking = false
    private var voicedRun: Duration = .zero
    private var unvoicedRun: Duration = .zero
    /// The last ``Settings/preRoll`` of audio.
    private var preRoll: [Int16] = []
    private let preRollFrames: Int
    /// Levels of the last second of frames; their minimum is the noise floor, because speech
    /// pauses within a second while steady noise does not.
    private var recentLevels: [Double]
    private var levelCursor = 0
    var noiseFloor: Double { recentLevels.min() ?? -100 }

    /// - Parameters:
    ///   - sampleRate: rate of the frames fed in (8000 or 16000 on phone lines).
    ///   - frameDuration: duration of each frame (10, 20 or 30 ms).
    public init(sampleRate: Int, frameDuration: Duration = .milliseconds(20), settings: Settings = Settings()) throws(VoiceActivityDetector.Failure) {
        vad = try VoiceActivityDetector(sampleRate: sampleRate)
        self.frameDuration = frameDuration
        self.settings = settings
        preRollFrames = max(1, Int(settings.preRoll / frameDuration))
        recentLevels = Array(repeating: -60, count: max(1, Int(.seconds(1) / frameDuration)))
    }

    /// Whether the detector is inside a speech segment.
    public var isSpeaking: Bool { speaking }

    /// Classifies the next frame.
    /// - Parameter level: the frame's loudness (``Loudness/dBFS(_:)``) when the caller has it already.
    public func process(_ frame: [Int16], level knownLevel: Double? = nil) -> Output {
        let level = knownLevel ?? Loudness.dBFS(frame)
        let voiced = ((try? vad.isSpeech(frame)) ?? false) && level > max(settings.silenceFloor, noiseFloor + settings.noiseMargin)
        recentLevels[levelCursor] = level
        levelCursor = (levelCursor + 1) % recentLevels.count
        // Copied in, not kept: the pipeline reuses the arrays of frames it has handled.
        preRoll.append(contentsOf: frame)
        let kept = preRollFrames * frame.count
        if preRoll.count > kept { preRoll.removeFirst(preRoll.count - kept) }

        if speaking {
            if voiced {
                unvoicedRun = .zero
                return .speech
            }
            unvoicedRun += frameDuration
            guard unvoicedRun >= settings.hangover else { return .speech }
            speaking = false
            voicedRun = .zero
            return .speechEnded
        }
        voicedRun = voiced ? voicedRun + frameDuration : max(.zero, voicedRun - frameDuration)
        guard voicedRun >= settings.minimumSpeech else { return .silence }
        speaking = true
        unvoicedRun = .zero
        let audio = preRoll
        preRoll = []
        return .speechStarted(audio: audio)
    }
}

@available(*, unavailable)
extension SpeechDetector: Sendable {}

/// Loudness of a frame.
public enum Loudness {
    /// Root-mean-square level in dB relative to full scale (−100 for digital silence).
    public static func dBFS(_ frame: [Int16]) -> Double {
        guard !frame.isEmpty else { return -100 }
        var sum = 0.0
        for sample in frame { sum += Double(sample) * Double(sample) }
        let rms = (sum / Double(frame.count)).squareRoot()
        return rms < 1 ? -100 : 20 * log10(rms / 32768)
    }
}

#if canImport(Glibc)
import Glibc
#endif
