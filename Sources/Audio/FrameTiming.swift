/// The packetisation interval shared by the whole media path: one frame is 20 ms.
///
/// Asterisk's chan_rtp sends and expects 20 ms packets, the pacer sends one frame per 20 ms and
/// the jitter buffer hands out one frame per 20 ms, so this single constant ties them together.
public enum FrameTiming {
    /// Frame length in milliseconds.
    public static let milliseconds = 20
    /// Frame length as a `Duration`.
    public static let duration: Duration = .milliseconds(milliseconds)
}
