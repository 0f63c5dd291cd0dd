/// Where a conversation's audio goes: the call's paced RTP stream, seen from the pipeline.
///
/// Implemented by the call layer over its pacer; the pipeline never sees RTP or ARI.
public protocol ConversationAudioOutput: Sendable {
    /// Rate of the frames ``send(_:source:offset:)`` takes.
    var sampleRate: Int { get }
    /// Queues one 20 ms frame. `source` names the utterance, `offset` its first sample in it.
    func send(_ samples: [Int16], source: UInt64, offset: Int64) -> Bool
    /// Drops everything queued; the next tick sends none of it.
    func flush() -> Int
    /// Samples of `source` on the wire so far.
    func playedCursor(for source: UInt64) -> Int64?
    /// When the first frame of `source` went on the wire, or nil if none has yet.
    func playbackStarted(for source: UInt64) -> ContinuousClock.Instant?
    /// Frames waiting to be sent.
    var queuedFrames: Int { get }
    /// Returns once fewer than `limit` frames are queued (woken as frames leave, not polled),
    /// or when the task is cancelled.
    func waitForRoom(queuedBelow limit: Int) async
    /// How the line carries the audio: a speech-to-speech model can take G.711 as it is.
    var lineEncoding: LineEncoding { get }
}

extension ConversationAudioOutput {
    /// Outputs that do not say are linear PCM.
    public var lineEncoding: LineEncoding { .linear }
}

/// How a phone line encodes its audio, as far as the conversation cares.
public enum LineEncoding: Sendable, Equatable {
    /// G.711 µ-law at 8 kHz.
    case muLaw
    /// G.711 A-law at 8 kHz.
    case aLaw
    /// Anything else (slin, G.722): linear PCM at the output's rate is all that crosses.
    case linear
}

/// What the conversation asks of the call.
public protocol ConversationCallControl: Sendable {
    /// Carries out a brain's action (transfer, hang up, DTMF, variable).
    func perform(_ action: CallAction) async
}

/// Converts a mono 16-bit stream from one rate to another, keeping state between calls.
public protocol SampleRateConverter {
    func convert(_ samples: [Int16]) -> [Int16]
}

/// Makes a converter for each stream that needs one (the call layer injects speexdsp's).
public typealias SampleRateConverterFactory = @Sendable (_ from: Int, _ to: Int) -> any SampleRateConverter

/// A converter for equal rates.
public struct PassThroughConverter: SampleRateConverter {
    public init() {}
    /// The samples in an array of their own, as every converter returns: the pipeline lends
    /// caller frames from arrays it reuses, and what goes to a recogniser may be kept.
    public func convert(_ samples: [Int16]) -> [Int16] {
        [Int16](unsafeUninitializedCapacity: samples.count) { copy, initialized in
            initialized = copy.initialize(fromContentsOf: samples)
        }
    }
}
