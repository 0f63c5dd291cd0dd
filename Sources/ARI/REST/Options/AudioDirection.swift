/// Which audio of a channel an operation touches: `in` is audio from the channel, `out` audio to it.
public enum AudioDirection: String, Sendable, Hashable, CaseIterable {
    case both, `in`, out
}

/// What a snoop channel spies on or whispers to; `none` disables that half.
public enum SnoopDirection: String, Sendable, Hashable, CaseIterable {
    case none, both, `in`, out
}
