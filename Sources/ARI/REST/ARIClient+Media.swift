/// Playbacks, recordings: starting them on channels and bridges, and controlling them.
extension ARIClient {
    /// Plays media to one channel; several `media` play in sequence, and plays on one channel queue up.
    ///
    /// A channel playing is suspended from its bridge meanwhile (it neither hears nor feeds it).
    /// - Parameters:
    ///   - media: `sound:<name>`, `recording:<name>`, `number:<n>`, `digits:<d>`, `characters:<c>`, `tone:<t>`.
    ///   - playbackID: the id to give the playback (uses `POST …/play/{playbackId}`).
    /// - Returns: the queued playback (201).
    public func play(
        _ media: [String], on channel: ChannelID, language: String? = nil, offsetMilliseconds: Int? = nil,
        skipMilliseconds: Int? = nil, playbackID: PlaybackID? = nil
    ) async throws -> Playback {
        let parameters = playParameters(media, language: language, offset: offsetMilliseconds, skip: skipMilliseconds)
        if let playbackID {
            return try await send("channels.playWithId", .post, ["channels", channel.rawValue, "play", playbackID.rawValue], parameters)
        }
        return try await send("channels.play", .post, ["channels", channel.rawValue, "play"], parameters)
    }

    /// Plays media into a bridge through an announcer; every member hears it.
    /// - Parameter announcerFormat: the announcer channel's format (22.7+).
    public func play(
        _ media: [String], on bridge: BridgeID, language: String? = nil, offsetMilliseconds: Int? = nil,
        skipMilliseconds: Int? = nil, announcerFormat: String? = nil, playbackID: PlaybackID? = nil
    ) async throws -> Playback {
        var parameters = playParameters(media, language: language, offset: offsetMilliseconds, skip: skipMilliseconds)
        parameters.set("announcer_format", announcerFormat.map(JSONValue.string))
        if let playbackID {
            return try await send("bridges.playWithId", .post, ["bridges", bridge.rawValue, "play", playbackID.rawValue], parameters)
        }
        return try await send("bridges.play", .post, ["bridges", bridge.rawValue, "play"], parameters)
    }

    private func playParameters(_ media: [String], language: String?, offset: Int?, skip: Int?) -> JSONObject {
        var parameters: JSONObject = ["media": .array(media.map(JSONValue.string))]
        parameters.set("lang", language.map(JSONValue.string))
        parameters.set("offsetms", offset.map(JSONValue.integer))
        parameters.set("skipms", skip.map(JSONValue.integer))
        return parameters
    }

    /// A playback's current state.
    public func playback(_ id: PlaybackID) async throws -> Playback {
        try await send("playbacks.get", .get, ["playbacks", id.rawValue])
    }

    /// Stops a playback (PlaybackFinished follows, state `done`).
    public func stopPlayback(_ id: PlaybackID) async throws {
        try await send("playbacks.stop", .delete, ["playbacks", id.rawValue])
    }

    /// Pauses, resumes, restarts or skips within a playback.
    public func controlPlayback(_ id: PlaybackID, _ operation: PlaybackOperation) async throws {
        try await send("playbacks.control", .post, ["playbacks", id.rawValue, "control"], ["operation": .string(operation.rawValue)])
    }

    /// Records the audio coming from a channel.
    /// - Returns: the live recording (201).
    public func record(_ channel: ChannelID, options: RecordingOptions) async throws -> LiveRecording {
        try await send("channels.record", .post, ["channels", channel.rawValue, "record"], options.parameters)
    }

    /// Records a bridge's mix.
    /// - Parameter recorderFormat: the recorder channel's format (22.7+).
    public func record(_ bridge: BridgeID, options: RecordingOptions, recorderFormat: String? = nil) async throws -> LiveRecording {
        var parameters = options.parameters
        parameters.set("recorder_format", recorderFormat.map(JSONValue.string))
        return try await send("bridges.record", .post, ["bridges", bridge.rawValue, "record"], parameters)
    }

    /// A live recording's current state.
    public func liveRecording(_ name: RecordingName) async throws -> LiveRecording {
        try await send("recordings.getLive", .get, ["recordings", "live", name.rawValue])
    }

    /// Stops a live recording and keeps the file.
    public func stopRecording(_ name: RecordingName) async throws {
        try await send("recordings.stop", .post, ["recordings", "live", name.rawValue, "stop"])
    }

    /// Stops a live recording and discards the file.
    public func discardRecording(_ name: RecordingName) async throws {
        try await send("recordings.cancel", .delete, ["recordings", "live", name.rawValue])
    }

    /// Pauses (`true`) or resumes a live recording.
    public func pauseRecording(_ name: RecordingName, _ paused: Bool) async throws {
        try await send("recordings.pause", paused ? .post : .delete, ["recordings", "live", name.rawValue, "pause"])
    }

    /// Mutes (`true`) or unmutes a live recording (silence is recorded meanwhile).
    public func muteRecording(_ name: RecordingName, _ muted: Bool) async throws {
        try await send("recordings.mute", muted ? .post : .delete, ["recordings", "live", name.rawValue, "mute"])
    }
}
