/// A PCM sample rate in hertz.
///
/// The rates ura meets are named constants: telephone narrowband (8 kHz), wideband (16 kHz, G.722
/// and most speech recognisers) and the rates speech synthesisers produce (22.05, 24, 48 kHz).
/// Every rate ura handles is a whole number of hertz, so the value is an integer.
public struct SampleRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Samples per second.
    public let hertz: Int

    /// Creates a rate of `hertz` samples per second.
    ///
    /// - Important: `hertz` must be positive. Rates come from ura's own code and validated
    ///   configuration, so a non-positive rate is a programming error and traps.
    public init(hertz: Int) {
        precondition(hertz > 0, "sample rate must be positive, got \(hertz) Hz")
        self.hertz = hertz
    }

    /// 8 kHz: G.711, slin, and the RTP clock of G.722.
    public static let hz8000 = SampleRate(hertz: 8000)
    /// 16 kHz: G.722 and slin16 audio, speech recognisers.
    public static let hz16000 = SampleRate(hertz: 16000)
    /// 22.05 kHz: common synthesiser output.
    public static let hz22050 = SampleRate(hertz: 22050)
    /// 24 kHz: common synthesiser output.
    public static let hz24000 = SampleRate(hertz: 24000)
    /// 48 kHz: studio rate some synthesisers produce.
    public static let hz48000 = SampleRate(hertz: 48000)

    /// Number of samples in one ``FrameTiming/duration`` (20 ms) frame at this rate.
    public var samplesPerFrame: Int { sampleCount(milliseconds: FrameTiming.milliseconds) }

    /// Number of whole samples in `milliseconds` at this rate (rounded down).
    public func sampleCount(milliseconds: Int) -> Int { hertz * milliseconds / 1000 }

    /// The time `count` samples last at this rate.
    public func duration(ofSamples count: Int) -> Duration {
        .nanoseconds(Int64(count) * 1_000_000_000 / Int64(hertz))
    }

    public static func < (lhs: SampleRate, rhs: SampleRate) -> Bool { lhs.hertz < rhs.hertz }

    public var description: String { "\(hertz) Hz" }
}
