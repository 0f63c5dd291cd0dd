import Foundation

/// What `GET /asterisk/info` reports; each section is present only when asked for (or when `only` is omitted).
public struct AsteriskInfo: ARIDecodable, Hashable {
    /// How Asterisk was built.
    public struct Build: ARIDecodable, Hashable {
        public var os: String, kernel: String, options: String, machine: String, date: String, user: String

        public init(json: JSONValue) throws(ARIDecodingError) {
            let object = try JSONObjectReader(json, model: "BuildInfo")
            os = try object.lenientString("os")
            kernel = try object.lenientString("kernel")
            options = try object.lenientString("options")
            machine = try object.lenientString("machine")
            date = try object.lenientString("date")
            user = try object.lenientString("user")
        }
    }

    /// Version and identity.
    public struct System: ARIDecodable, Hashable {
        /// E.g. `22.10.1`.
        public var version: String
        public var entityID: String

        public init(json: JSONValue) throws(ARIDecodingError) {
            let object = try JSONObjectReader(json, model: "SystemInfo")
            version = try object.string("version")
            entityID = try object.string("entity_id")
        }
    }

    /// A few settings from asterisk.conf.
    public struct Config: ARIDecodable, Hashable {
        public var name: String
        public var defaultLanguage: String
        public var maxChannels: Int?
        public var maxOpenFiles: Int?
        public var maxLoad: Double?
        /// The user and group Asterisk runs as.
        public var runUser: String?
        public var runGroup: String?

        public init(json: JSONValue) throws(ARIDecodingError) {
            let object = try JSONObjectReader(json, model: "ConfigInfo")
            name = try object.lenientString("name")
            defaultLanguage = try object.lenientString("default_language")
            maxChannels = try object.optionalInt("max_channels")
            maxOpenFiles = try object.optionalInt("max_open_files")
            maxLoad = try object.optionalDouble("max_load")
            let setID = try object.optionalValue("setid").map { value throws(ARIDecodingError) in try JSONObjectReader(value, model: "SetId") }
            runUser = try setID?.optionalString("user")
            runGroup = try setID?.optionalString("group")
        }
    }

    /// Startup and reload times; a changed startup time means Asterisk restarted.
    public struct Status: ARIDecodable, Hashable {
        public var startupTime: Date
        public var lastReloadTime: Date

        public init(json: JSONValue) throws(ARIDecodingError) {
            let object = try JSONObjectReader(json, model: "StatusInfo")
            startupTime = try object.date("startup_time")
            lastReloadTime = try object.date("last_reload_time")
        }
    }

    /// The sections `GET /asterisk/info?only=` can select.
    public enum Section: String, Sendable, CaseIterable {
        case build, system, config, status
    }

    public var build: Build?
    public var system: System?
    public var config: Config?
    public var status: Status?

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "AsteriskInfo")
        build = try object.optionalModel("build")
        system = try object.optionalModel("system")
        config = try object.optionalModel("config")
        status = try object.optionalModel("status")
    }
}
