import Foundation
import Settings

/// Any `.env` text either parses or throws ``ConfigurationError``; whatever it holds, the
/// configuration built from it loads or throws ``ConfigurationError``.
enum DotEnvFuzzing {
    static func run(_ input: Data) {
        let text = String(decoding: input, as: UTF8.self)
        guard let variables = try? DotEnv.parse(text) else { return }
        // The few settings that need a value are given one, so the rest of the parse is reached.
        let environment = variables.merging(["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "fuzz"]) { parsed, _ in parsed }
        _ = try? Configuration.load(environment: environment)
    }
}
