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
        /// `RECORDING_NOTICE`: media Asterisk plays the caller (in the channel's language) before
        /// recording starts, as ARI's play takes it: `sound:custom/call-recorded`; several, comma-separated, in turn.
        public var notice: [String]? = nil
    }
}

extension EnvironmentReader {
    func recording() throws(ConfigurationError) -> Configuration.Recording {
        var recording = Configuration.Recording(
            mode: try choice("RECORDING", default: .off), directory: string("RECORDINGS_DIR", default: "recordings"))
        if let text = value("RECORDING_NOTICE") {
            let media = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let schemes = ["sound:", "recording:", "tone:", "digits:", "characters:", "number:"]
            for uri in media where !schemes.contains(where: { uri.hasPrefix($0) }) || uri.count > 256
                || uri.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) {
                throw ConfigurationError(
                    variable: "RECORDING_NOTICE", problem: "has \"\(uri.prefix(64))\", not media Asterisk plays (sound:name, recording:name, …)",
                    example: "RECORDING_NOTICE=sound:custom/call-recorded")
            }
            recording.notice = media.isEmpty ? nil : media
        }
        return recording
    }
}
