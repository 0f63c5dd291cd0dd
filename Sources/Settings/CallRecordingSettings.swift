import Foundation

/// What of a call is recorded (`RECORDING`).
public enum RecordingMode: String, ConfigurationChoice {
    /// Nothing.
    case off
    /// The caller's side only, one channel.
    case caller
    /// Both sides, two channels: the caller left, the bot (and anything ura played) right.
    case both
}

extension Configuration {
    /// Call recording: what is recorded and where the WAV files go.
    public struct Recording: Sendable, Equatable {
        public var mode: RecordingMode
        /// `RECORDINGS_DIR`: one `<call id>.wav` per call, deleted with its record.
        public var directory: String
    }
}

extension EnvironmentReader {
    func recording() throws(ConfigurationError) -> Configuration.Recording {
        Configuration.Recording(mode: try choice("RECORDING", default: .off), directory: string("RECORDINGS_DIR", default: "recordings"))
    }
}
