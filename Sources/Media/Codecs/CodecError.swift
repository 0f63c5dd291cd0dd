import Audio

/// Why a codec cannot be chosen or used.
public enum CodecError: Error, Hashable, Sendable {
    /// The name is not one of the formats ura speaks (`ulaw`, `alaw`, `slin`, `slin16`, `g722`).
    case unknownFormat(String)
    /// The format can be received but not sent: Asterisk's chan_rtp has no SDP, so it drops
    /// dynamic payload types such as slin16's 118 and the caller would hear nothing.
    case receiveOnly(AudioFormat)
}
