import Foundation

/// Channel, bridge and global variables. Names may be dialplan functions (`CHANNEL(peerip)`,
/// `TALK_DETECT(set)`); "dangerous" functions need `live_dangerously` in Asterisk 22.10.1+.
extension ARIClient {
    /// One variable of any channel (in Stasis or not).
    public func variable(_ name: String, of channel: ChannelID) async throws -> String {
        let variable: Variable = try await send("channels.getChannelVar", .get, ["channels", channel.rawValue, "variable"], ["variable": .string(name)])
        return variable.value
    }

    /// Sets one variable of a channel.
    /// - Parameter reportEvents: show it in `channelvars` of the channel's events from now on (22.10+).
    public func setVariable(_ name: String, to value: String, of channel: ChannelID, reportEvents: Bool? = nil) async throws {
        var parameters: JSONObject = ["variable": .string(name), "value": .string(value)]
        parameters.set("report_events", reportEvents.map(JSONValue.bool))
        try await send("channels.setChannelVar", .post, ["channels", channel.rawValue, "variable"], parameters)
    }

    /// Several variables of a channel at once (22.10+); absent ones are missing from the result.
    public func variables(_ names: [String], of channel: ChannelID) async throws -> [String: String] {
        let parameters: JSONObject = ["variables": .string(names.joined(separator: ","))]
        let body = try await send("channels.getChannelVars", .get, ["channels", channel.rawValue, "variables"], parameters)
        return try Self.decodeVariables(body, operation: "channels.getChannelVars")
    }

    /// Sets several variables of a channel at once (22.10+).
    public func setVariables(_ variables: [String: String], of channel: ChannelID) async throws {
        try await send("channels.setChannelVars", .post, ["channels", channel.rawValue, "variables"], ["variables": .variables(variables)])
    }

    /// One variable of a bridge (22.10+).
    public func variable(_ name: String, of bridge: BridgeID) async throws -> String {
        let variable: Variable = try await send("bridges.getBridgeVar", .get, ["bridges", bridge.rawValue, "variable"], ["variable": .string(name)])
        return variable.value
    }

    /// Sets one variable of a bridge (22.10+).
    public func setVariable(_ name: String, to value: String, of bridge: BridgeID, reportEvents: Bool? = nil) async throws {
        var parameters: JSONObject = ["variable": .string(name), "value": .string(value)]
        parameters.set("report_events", reportEvents.map(JSONValue.bool))
        try await send("bridges.setBridgeVar", .post, ["bridges", bridge.rawValue, "variable"], parameters)
    }

    /// Several variables of a bridge at once (22.10+).
    public func variables(_ names: [String], of bridge: BridgeID) async throws -> [String: String] {
        let parameters: JSONObject = ["variables": .string(names.joined(separator: ","))]
        let body = try await send("bridges.getBridgeVars", .get, ["bridges", bridge.rawValue, "variables"], parameters)
        return try Self.decodeVariables(body, operation: "bridges.getBridgeVars")
    }

    /// Sets several variables of a bridge at once (22.10+).
    public func setVariables(_ variables: [String: String], of bridge: BridgeID) async throws {
        try await send("bridges.setBridgeVars", .post, ["bridges", bridge.rawValue, "variables"], ["variables": .variables(variables)])
    }

    /// A global variable.
    public func globalVariable(_ name: String) async throws -> String {
        let variable: Variable = try await send("asterisk.getGlobalVar", .get, ["asterisk", "variable"], ["variable": .string(name)])
        return variable.value
    }

    /// Sets a global variable.
    public func setGlobalVariable(_ name: String, to value: String) async throws {
        try await send("asterisk.setGlobalVar", .post, ["asterisk", "variable"], ["variable": .string(name), "value": .string(value)])
    }

    /// Reads `{"variables": {"NAME": "value", …}}`; a `{"value": …}` object in place of a string is accepted too.
    private static func decodeVariables(_ body: Data, operation: String) throws -> [String: String] {
        do throws(ARIDecodingError) {
            guard case .object(let root) = try JSONValue.parse(body) else {
                throw ARIDecodingError.unexpectedType(model: "Variables", expected: "a JSON object")
            }
            guard let variables = root["variables"], variables != .null else {
                throw ARIDecodingError.missingField(model: "Variables", field: "variables")
            }
            guard case .object(let members) = variables else {
                throw ARIDecodingError.invalidField(model: "Variables", field: "variables", expected: "an object")
            }
            var result: [String: String] = [:]
            for (name, value) in members {
                switch value {
                case .string(let text): result[name] = text
                case .object(let wrapped): if let text = wrapped["value"]?.stringValue { result[name] = text }
                default: continue
                }
            }
            return result
        } catch {
            throw ARIError.decoding(operation: operation, error)
        }
    }
}
