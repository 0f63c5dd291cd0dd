/// What a synthetic caller heard: a continuous timeline from the moment the call was placed,
/// silence where nothing arrived, plus when each piece arrived and the script's timing cues.
public struct CallRecording: Sendable {
    /// One received frame: when it arrived (since the call was placed) and where it sits.
    public struct Chunk: Sendable, Equatable {
        /// When the frame arrived, since the call was placed.
        public var arrival: Duration
        /// Index of its first sample in ``CallRecording/samples``.
        public var sampleOffset: Int
        /// Its length in samples.
        public var sampleCount: Int
    }

    /// PCM at ``sampleRate`` from the moment the call was placed.
    public var samples: [Int16]
    /// The phone's rate, 8000 or 16000.
    public var sampleRate: Int
    /// Every received frame, in arrival order.
    public var chunks: [Chunk]
    /// ``CallerStep/mark(_:)`` labels and when they were sent, since the call was placed.
    public var marks: [String: Duration]
    /// When the call was answered, since it was placed.
    public var answeredAfter: Duration?
}
