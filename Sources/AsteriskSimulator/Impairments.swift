/// Network and line faults applied to the audio a ``SyntheticCaller`` sends into the call.
public struct Impairments: Sendable, Equatable {
    /// Each packet is delayed by a random amount in `0...jitter`.
    public var jitter: Duration
    /// Fraction of packets lost, 0...1.
    public var loss: Double
    /// Fraction of packets held back one and a half packet intervals, so they arrive after their successor.
    public var reordering: Double
    /// Fraction of packets delivered twice.
    public var duplicates: Double
    /// Clock skew of the phone: the send interval is ptime × (1 + skew); keep within ±0.005 (clamped to ±0.5).
    public var clockSkew: Double
    /// Line echo: what the caller hears is fed back into what it sends, at `echoGain` after `echoDelay`.
    public var lineEcho: Bool
    /// Echo gain (−20 dB is 0.1).
    public var echoGain: Double
    /// Echo delay (40 ms by default).
    public var echoDelay: Duration
    /// Line noise: white noise at this level (dBFS, RMS) added to everything the phone sends;
    /// nil: a clean line.
    public var noiseLevel: Double?
    /// Fixes which packets the faults hit; nil: different on every call.
    public var seed: UInt64?

    /// No impairment unless asked for; echo defaults are −20 dB after 40 ms once `lineEcho` is on.
    public init(
        jitter: Duration = .zero, loss: Double = 0, reordering: Double = 0, duplicates: Double = 0, clockSkew: Double = 0,
        lineEcho: Bool = false, echoGain: Double = 0.1, echoDelay: Duration = .milliseconds(40), noiseLevel: Double? = nil,
        seed: UInt64? = nil
    ) {
        self.seed = seed
        self.jitter = jitter
        self.loss = loss
        self.reordering = reordering
        self.duplicates = duplicates
        self.clockSkew = clockSkew
        self.lineEcho = lineEcho
        self.echoGain = echoGain
        self.echoDelay = echoDelay
        self.noiseLevel = noiseLevel
    }
}

/// What the impairments actually did, for checks that statistics report them.
public struct ImpairmentStatistics: Sendable, Equatable {
    /// Frames the phone produced (lost ones included).
    public var framesSent = 0
    /// Frames dropped by `loss`.
    public var framesLost = 0
    /// Extra copies delivered by `duplicates`.
    public var framesDuplicated = 0
    /// Frames held back past their successor by `reordering`.
    public var framesReordered = 0
    /// Largest delay added by jitter.
    public var maximumJitter: Duration = .zero
}
