/// Asterisk itself and Stasis applications: health checks and reconciliation after a reconnect.
extension ARIClient {
    /// `GET /asterisk/ping`: the cheapest proof that ARI is reachable and the credentials work.
    public func ping() async throws -> AsteriskPing {
        try await send("asterisk.ping", .get, ["asterisk", "ping"])
    }

    /// Build, system, config and status information; `sections` empty means all of them.
    public func info(_ sections: [AsteriskInfo.Section] = []) async throws -> AsteriskInfo {
        var parameters = JSONObject()
        if !sections.isEmpty { parameters.set("only", .string(sections.map(\.rawValue).joined(separator: ","))) }
        return try await send("asterisk.getInfo", .get, ["asterisk", "info"], parameters)
    }

    /// Every Stasis application with a connected socket.
    public func listApplications() async throws -> [Application] {
        try await send("applications.list", .get, ["applications"])
    }

    /// One application: the channels, bridges and endpoints it is subscribed to.
    public func application(_ name: String) async throws -> Application {
        try await send("applications.get", .get, ["applications", name])
    }

    /// Subscribes the application to more event sources: `channel:<id>`, `bridge:<id>`,
    /// `endpoint:<tech>/<resource>`, `deviceState:<name>`.
    ///
    /// Needed, for instance, to receive a SIP channel's ChannelDestroyed after its StasisEnd (captures).
    public func subscribe(_ application: String, to eventSources: [String]) async throws -> Application {
        try await send("applications.subscribe", .post, ["applications", application, "subscription"],
                       ["eventSource": .array(eventSources.map(JSONValue.string))])
    }

    /// Undoes ``subscribe(_:to:)``.
    public func unsubscribe(_ application: String, from eventSources: [String]) async throws -> Application {
        try await send("applications.unsubscribe", .delete, ["applications", application, "subscription"],
                       ["eventSource": .array(eventSources.map(JSONValue.string))])
    }
}

/// Claiming calls that `StasisBroadcast()` offers to several applications (Asterisk 20.17+/22.7+).
extension ARIClient {
    /// How a claim went; only ``claimed`` brings the call's StasisStart.
    public enum ClaimOutcome: Sendable, Hashable {
        /// This application has the call.
        case claimed
        /// Another application claimed it first (409): normal when several instances compete.
        case claimedByAnother
        /// The channel is gone or no longer offered (404): the broadcast timed out or it hung up.
        case notOffered
    }

    /// `POST /events/claim`: asks for a call announced by ``ARIEvent/callBroadcast(_:)``.
    ///
    /// The first claim gets the call (its StasisStart follows, with the broadcast's arguments);
    /// the others learn it is taken, which is an outcome here, not an error.
    /// - Throws: ``ARIError`` for any other failure.
    public func claim(_ channel: ChannelID, for application: String) async throws -> ClaimOutcome {
        do {
            try await send("events.claim", .post, ["events", "claim"], [
                "channelId": .string(channel.rawValue), "application": .string(application),
            ])
            return .claimed
        } catch let error as ARIError where error.status == 409 {
            return .claimedByAnother
        } catch let error as ARIError where error.status == 404 {
            return .notOffered
        }
    }
}

extension AsteriskInfo {
    /// The sections `GET /asterisk/info?only=` can select.
    public enum Section: String, Sendable, CaseIterable {
        case build, system, config, status
    }
}
