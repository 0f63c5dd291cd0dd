import Foundation

/// Channel call control (the `/channels` resource of the ARI spec). Each call needs the channel in a Stasis application unless
/// noted; otherwise Asterisk answers 409, and 412 for an unanswered outbound leg.
extension ARIClient {
    /// Every channel of the Asterisk system, not only the application's.
    public func listChannels() async throws -> [Channel] {
        try await send("channels.list", .get, ["channels"])
    }

    /// A snapshot of one channel. 404 (``ARIError/isNotFound``) once it is gone.
    public func channel(_ id: ChannelID) async throws -> Channel {
        try await send("channels.get", .get, ["channels", id.rawValue])
    }

    /// Answers the channel.
    public func answer(_ id: ChannelID) async throws {
        try await send("channels.answer", .post, ["channels", id.rawValue, "answer"])
    }

    /// Hangs up any channel, in a Stasis application or not.
    /// - Parameter reason: a named reason or a Q.850 code; nil means Asterisk's default (normal, 16).
    public func hangup(_ id: ChannelID, reason: HangupReason? = nil) async throws {
        var parameters = JSONObject()
        if let parameter = reason?.parameter { parameters.set(parameter.name, .string(parameter.value)) }
        try await send("channels.hangup", .delete, ["channels", id.rawValue], parameters)
    }

    /// Leaves Stasis and continues in the dialplan; StasisEnd follows.
    ///
    /// All nil: the next priority after `Stasis()`.
    public func continueInDialplan(
        _ id: ChannelID, context: String? = nil, extension exten: String? = nil, priority: Int? = nil, label: String? = nil
    ) async throws {
        var parameters = JSONObject()
        parameters.set("context", context.map(JSONValue.string))
        parameters.set("extension", exten.map(JSONValue.string))
        parameters.set("priority", priority.map(JSONValue.integer))
        parameters.set("label", label.map(JSONValue.string))
        try await send("channels.continueInDialplan", .post, ["channels", id.rawValue, "continue"], parameters)
    }

    /// Moves the channel to another Stasis application.
    public func move(_ id: ChannelID, toApplication app: String, args: [String] = []) async throws {
        var parameters: JSONObject = ["app": .string(app)]
        if !args.isEmpty { parameters.set("appArgs", .string(args.joined(separator: ","))) }
        try await send("channels.move", .post, ["channels", id.rawValue, "move"], parameters)
    }

    /// Transfers the channel to `endpoint` (`PJSIP/…`; the technology must match the channel's, else 422).
    ///
    /// Success only means "queued": no event reports the outcome; normally the leg hangs up.
    public func redirect(_ id: ChannelID, to endpoint: String) async throws {
        try await send("channels.redirect", .post, ["channels", id.rawValue, "redirect"], ["endpoint": .string(endpoint)])
    }

    /// Calls `endpoint` (e.g. `PJSIP/1000`); returns at once with the new channel (state usually Down).
    ///
    /// With ``NewChannelOptions/channelID`` the request goes to `POST /channels/{id}`.
    /// - Parameters:
    ///   - callerID: `"Name" <number>` style.
    ///   - timeoutSeconds: ring time; -1 for none; nil for Asterisk's 30.
    public func originate(
        endpoint: String, destination: OriginateDestination, callerID: String? = nil, timeoutSeconds: Int? = nil,
        options: NewChannelOptions = NewChannelOptions()
    ) async throws -> Channel {
        var parameters: JSONObject = ["endpoint": .string(endpoint)]
        destination.add(to: &parameters)
        parameters.set("callerId", callerID.map(JSONValue.string))
        parameters.set("timeout", timeoutSeconds.map(JSONValue.integer))
        options.add(to: &parameters, includingChannelID: false)
        if let id = options.channelID {
            return try await send("channels.originateWithId", .post, ["channels", id.rawValue], parameters)
        }
        return try await send("channels.originate", .post, ["channels"], parameters)
    }

    /// Creates a channel to `endpoint` without dialing it; it enters `app` (StasisStart) before ``dial(_:caller:timeoutSeconds:)``.
    public func createChannel(
        endpoint: String, app: String, args: [String] = [], options: NewChannelOptions = NewChannelOptions()
    ) async throws -> Channel {
        var parameters: JSONObject = ["endpoint": .string(endpoint), "app": .string(app)]
        if !args.isEmpty { parameters.set("appArgs", .string(args.joined(separator: ","))) }
        options.add(to: &parameters)
        return try await send("channels.create", .post, ["channels", "create"], parameters)
    }

    /// Dials a channel made by ``createChannel(endpoint:app:args:options:)``; Dial events report progress.
    /// - Parameter caller: the channel whose caller id and formats the call uses.
    public func dial(_ id: ChannelID, caller: ChannelID? = nil, timeoutSeconds: Int? = nil) async throws {
        var parameters = JSONObject()
        parameters.set("caller", caller.map { .string($0.rawValue) })
        parameters.set("timeout", timeoutSeconds.map(JSONValue.integer))
        try await send("channels.dial", .post, ["channels", id.rawValue, "dial"], parameters)
    }

    /// Sends a ringing indication to the channel (ringback for the caller).
    public func ring(_ id: ChannelID) async throws {
        try await send("channels.ring", .post, ["channels", id.rawValue, "ring"])
    }

    /// Stops the ringing indication started by ``ring(_:)``.
    public func stopRinging(_ id: ChannelID) async throws {
        try await send("channels.ringStop", .delete, ["channels", id.rawValue, "ring"])
    }

    /// Sends a progress indication (early media) to the channel (22.6+).
    public func progress(_ id: ChannelID) async throws {
        try await send("channels.progress", .post, ["channels", id.rawValue, "progress"])
    }

    /// Sends DTMF; `w` and `W` in `digits` pause 0.5 s and 1 s.
    /// - Parameters: `before`, `between`, `duration`, `after` in milliseconds; nil takes Asterisk's defaults.
    public func sendDTMF(
        _ id: ChannelID, _ digits: String, before: Int? = nil, between: Int? = nil, duration: Int? = nil, after: Int? = nil
    ) async throws {
        var parameters: JSONObject = ["dtmf": .string(digits)]
        parameters.set("before", before.map(JSONValue.integer))
        parameters.set("between", between.map(JSONValue.integer))
        parameters.set("duration", duration.map(JSONValue.integer))
        parameters.set("after", after.map(JSONValue.integer))
        try await send("channels.sendDTMF", .post, ["channels", id.rawValue, "dtmf"], parameters)
    }

    /// Mutes the channel's audio in `direction` (`in` = audio from the channel).
    public func mute(_ id: ChannelID, direction: AudioDirection = .both) async throws {
        try await send("channels.mute", .post, ["channels", id.rawValue, "mute"], ["direction": .string(direction.rawValue)])
    }

    /// Undoes ``mute(_:direction:)``.
    public func unmute(_ id: ChannelID, direction: AudioDirection = .both) async throws {
        try await send("channels.unmute", .delete, ["channels", id.rawValue, "mute"], ["direction": .string(direction.rawValue)])
    }

    /// Sends a hold indication to the channel.
    public func hold(_ id: ChannelID) async throws {
        try await send("channels.hold", .post, ["channels", id.rawValue, "hold"])
    }

    /// Sends an unhold indication to the channel.
    public func unhold(_ id: ChannelID) async throws {
        try await send("channels.unhold", .delete, ["channels", id.rawValue, "hold"])
    }

    /// Creates a snoop channel on `id` that enters `app` with StasisStart; it carries the snooped audio as signed linear.
    /// - Parameter snoopID: the id to give the snoop channel (uses `POST …/snoop/{snoopId}`).
    public func snoop(
        _ id: ChannelID, app: String, spy: SnoopDirection? = nil, whisper: SnoopDirection? = nil, args: [String] = [],
        snoopID: ChannelID? = nil
    ) async throws -> Channel {
        var parameters: JSONObject = ["app": .string(app)]
        parameters.set("spy", spy.map { .string($0.rawValue) })
        parameters.set("whisper", whisper.map { .string($0.rawValue) })
        if !args.isEmpty { parameters.set("appArgs", .string(args.joined(separator: ","))) }
        if let snoopID {
            return try await send("channels.snoopChannelWithId", .post, ["channels", id.rawValue, "snoop", snoopID.rawValue], parameters)
        }
        return try await send("channels.snoopChannel", .post, ["channels", id.rawValue, "snoop"], parameters)
    }

    /// RTP counters of a SIP (RTP) channel.
    public func rtpStatistics(_ id: ChannelID) async throws -> RTPstat {
        try await send("channels.rtpstatistics", .get, ["channels", id.rawValue, "rtp_statistics"])
    }

    /// Creates an externalMedia channel that streams the call's audio to ``ExternalMediaRequest/externalHost``.
    ///
    /// The answer is the new channel with `channelvars` `UNICASTRTP_LOCAL_ADDRESS` and
    /// `UNICASTRTP_LOCAL_PORT` (rtp) — where Asterisk sends from and listens. The channel then
    /// enters the application with its own StasisStart, which may arrive before this call returns.
    ///
    /// - Warning: Asterisk's quirks (captures/ari-errors-22.10.1.json): an unknown format, a
    ///   duplicate channel id or a failed AudioSocket connect answer **500** with a generic
    ///   message, not 400/409. And when no WebSocket is connected for `app`, the call answers
    ///   **200** with a channel that dies at once (it cannot enter Stasis): the caller must expect
    ///   the channel's StasisStart and treat its absence, or a ChannelDestroyed/404, as failure.
    public func externalMedia(_ request: ExternalMediaRequest) async throws -> Channel {
        try await send("channels.externalMedia", .post, ["channels", "externalMedia"], request.parameters)
    }
}
