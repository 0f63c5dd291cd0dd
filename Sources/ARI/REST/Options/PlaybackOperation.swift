/// A control operation on a running playback (`POST /playbacks/{id}/control`).
public enum PlaybackOperation: String, Sendable, Hashable, CaseIterable {
    case restart, pause, unpause, reverse, forward
}
