extension ARIEvent {
    /// The payload of events that only carry the channel they concern (StasisEnd, ChannelStateChange, …).
    public struct ChannelSnapshot: Sendable, Hashable {
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
        }
    }

    /// The payload of BridgeCreated and BridgeDestroyed.
    public struct BridgeSnapshot: Sendable, Hashable {
        public var bridge: Bridge

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            bridge = try object.model("bridge")
        }
    }

    /// The payload of PlaybackStarted, PlaybackContinuing and PlaybackFinished.
    public struct PlaybackSnapshot: Sendable, Hashable {
        public var playback: Playback

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            playback = try object.model("playback")
        }
    }

    /// The payload of RecordingStarted, RecordingFinished and RecordingFailed.
    public struct RecordingSnapshot: Sendable, Hashable {
        public var recording: LiveRecording

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            recording = try object.model("recording")
        }
    }
}
