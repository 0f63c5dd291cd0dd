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
