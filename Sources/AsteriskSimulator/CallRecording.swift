/// What a synthetic caller heard: a continuous timeline from the moment the call was placed,
/// silence where nothing arrived, plus when each piece arrived and the script's timing cues.
public struct CallRecording: Sendable {
    /// One received frame: when it arrived (since the call was placed) and where it sits.
    public struct Chunk: Sendable, Equatable {
        public var arrival: Duration
        public var sampleOffset: Int
        public var sampleCount: Int
    }

    public var samples: [Int16]
    public var sampleRate: Int
    public var chunks: [Chunk]
    /// ``CallerStep/mark(_:)`` labels and when they were sent, since the call was placed.
    public var marks: [String: Duration]
    /// When the call was answered, since it was placed.
    public var answeredAfter: Duration?
}
