import Foundation
import Settings
import Testing
import Yams

/// compose.yaml and .env.example: structure and agreement with ura's configuration names.
@Suite struct ComposeTests {
    struct NotAMapping: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is not a mapping" }
    }

    static func compose() throws -> [String: Any] {
        guard let root = try Yams.load(yaml: Repository.text("compose.yaml")) as? [String: Any] else { throw NotAMapping(path: "compose.yaml") }
        return root
    }

    static func service(_ name: String) throws -> [String: Any] {
        guard let services = try compose()["services"] as? [String: Any], let service = services[name] as? [String: Any] else {
            throw NotAMapping(path: "services.\(name)")
        }
        return service
    }

    /// `environment:` as a mapping or as a list of NAME=value / NAME.
    static func environmentNames(_ service: [String: Any]) -> [String] {
        if let mapping = service["environment"] as? [String: Any] { return Array(mapping.keys) }
        if let list = service["environment"] as? [String] {
            return list.map { String($0.split(separator: "=", maxSplits: 1)[0]) }
        }
        return []
    }

    /// `env_file:` as a string, a list of strings, or a list of `{path:}` mappings.
    static func envFiles(_ service: [String: Any]) -> [String] {
        if let single = service["env_file"] as? String { return [single] }
        guard let list = service["env_file"] as? [Any] else { return [] }
        return list.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["path"] as? String) }
    }

    @Test func hasAsteriskAndUraServicesOnTheHostNetwork() throws {
        let services = try #require(try Self.compose()["services"] as? [String: [String: Any]])
        // `docker compose up` starts the services without a profile; monitoring is opt-in.
        #expect(Set(services.filter { $0.value["profiles"] == nil }.keys) == ["asterisk", "ura"])
        #expect(Set(services.filter { ($0.value["profiles"] as? [String]) == ["monitoring"] }.keys) == ["prometheus", "grafana"])
        for name in services.keys {
            #expect(try Self.service(name)["network_mode"] as? String == "host", "\(name): RTP needs host networking")
        }
    }

    @Test func asteriskIsVersion22WithTheDropInConfigMounted() throws {
        let asterisk = try Self.service("asterisk")
        let image = try #require(asterisk["image"] as? String)
        let tag = try #require(image.split(separator: ":").last)
        #expect(tag == "22" || tag.hasPrefix("22."), "image \(image) is not Asterisk 22")
        let volumes = (asterisk["volumes"] as? [String]) ?? []
        #expect(volumes.contains { $0 == "./asterisk:/etc/asterisk" || $0.hasPrefix("./asterisk:/etc/asterisk:") })
    }

    @Test func uraIsBuiltFromTheDockerfileAndReadsDotEnv() throws {
        let ura = try Self.service("ura")
        let build = try #require(ura["build"] as? [String: Any])
        let context = (build["context"] as? String) ?? "."
        let dockerfile = (build["dockerfile"] as? String) ?? "Dockerfile"
        let path = Repository.url(context).appending(path: dockerfile).standardizedFileURL.path
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(Self.envFiles(ura) == [".env"])
        #expect(try Self.service("asterisk")["env_file"] == nil)
    }

    @Test func uraMayRaiseItsMediaClockToRealTimePriority() throws {
        let ura = try Self.service("ura")
        #expect((ura["cap_add"] as? [String])?.contains("SYS_NICE") == true)
    }

    @Test func composeNamesOnlyVariablesUraKnows() throws {
        let known = try KnownVariables.names()
        for name in Self.environmentNames(try Self.service("ura")) {
            #expect(known.contains(name), "compose.yaml sets \(name), which ura does not read")
        }
    }

    @Test func envExampleLoadsIntoAValidConfiguration() throws {
        let values = try ShippedSettings.envExample()
        let known = try KnownVariables.names()
        for name in values.keys {
            #expect(known.contains(name), ".env.example sets \(name), which ura does not read")
        }
        let configuration = try Configuration.load(environment: values)
        // compose runs both services on the host network: ARI and RTP meet on loopback.
        #expect(configuration.ari.urls[0].host == "127.0.0.1")
        #expect(configuration.media.advertiseAddresses == ["127.0.0.1"])
    }

    @Test func knownVariablesComeFromSettings() throws {
        // The list the other tests rely on must hold the names the issue fixed.
        let known = try KnownVariables.names()
        for name in ["ARI_URL", "ARI_USERNAME", "ARI_PASSWORD", "ARI_APP", "MEDIA_ADVERTISE_ADDRESS", "RTP_PORT_START", "LOG_FORMAT"] {
            #expect(known.contains(name))
        }
    }
}
