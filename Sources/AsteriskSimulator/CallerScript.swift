/// What a ``SyntheticCaller`` does once the call is answered, step by step on its 20 ms clock.
public enum CallerStep: Sendable {
    /// Speak these samples (at the caller's sample rate).
    case say([Int16])
    /// Send silence this long.
    case pause(Duration)
    /// Press keys (RFC 4733 in real life): one ChannelDtmfReceived per digit, no audio.
    case dtmf(String)
    /// Remember when the script got here (a timing cue for latency measurements).
    case mark(String)
    /// Hang up.
    case hangUp
}
