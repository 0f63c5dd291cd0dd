import Foundation
import Settings

/// ura's own view of the settings the shipped files must agree with.
enum ShippedSettings {
    /// The configuration ura runs with when only the two required variables are set: its defaults.
    static func defaults() throws -> Configuration {
        try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "unused"])
    }

    /// The variables .env.example sets, parsed the way `ura` parses a .env file.
    static func envExample() throws -> [String: String] {
        try DotEnv.parse(Repository.text(".env.example"), source: ".env.example")
    }
}
