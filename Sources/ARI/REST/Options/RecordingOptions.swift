/// The parameters of `POST /channels/{id}/record` and `POST /bridges/{id}/record`.
public struct RecordingOptions: Sendable, Hashable {
    /// What to do when a recording of that name exists.
    public enum IfExists: String, Sendable, Hashable, CaseIterable {
        case fail, overwrite, append
    }

    /// DTMF that ends the recording.
    public enum TerminateOn: String, Sendable, Hashable, CaseIterable {
        case none, any
        case star = "*"
        case pound = "#"
    }

    /// The file name, without extension; also the live recording's id.
    public var name: RecordingName
    /// The file format, e.g. `wav`.
    public var format: String
    /// 0 or nil: no limit.
    public var maxDurationSeconds: Int?
    /// Stop after this much silence; 0 or nil: never.
    public var maxSilenceSeconds: Int?
    /// nil: Asterisk's default, `fail`.
    public var ifExists: IfExists?
    /// Play a beep when recording starts.
    public var beep: Bool?
    /// nil: Asterisk's default, `none`.
    public var terminateOn: TerminateOn?

    /// nil members are left out, so Asterisk applies its defaults.
    public init(
        name: RecordingName, format: String = "wav", maxDurationSeconds: Int? = nil, maxSilenceSeconds: Int? = nil,
        ifExists: IfExists? = nil, beep: Bool? = nil, terminateOn: TerminateOn? = nil
    ) {
        self.name = name
        self.format = format
        self.maxDurationSeconds = maxDurationSeconds
        self.maxSilenceSeconds = maxSilenceSeconds
        self.ifExists = ifExists
        self.beep = beep
        self.terminateOn = terminateOn
    }

    var parameters: JSONObject {
        var parameters = JSONObject()
        parameters.set("name", .string(name.rawValue))
        parameters.set("format", .string(format))
        parameters.set("maxDurationSeconds", maxDurationSeconds.map(JSONValue.integer))
        parameters.set("maxSilenceSeconds", maxSilenceSeconds.map(JSONValue.integer))
        parameters.set("ifExists", ifExists.map { .string($0.rawValue) })
        parameters.set("beep", beep.map(JSONValue.bool))
        parameters.set("terminateOn", terminateOn.map { .string($0.rawValue) })
        return parameters
    }
}
