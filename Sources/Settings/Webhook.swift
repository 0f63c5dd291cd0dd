import Foundation

extension Configuration {
    /// Where call events go (`WEBHOOK_URL`) and how they are signed.
    public struct Webhook: Sendable, Equatable {
        public var url: URL
        /// The HMAC-SHA256 key receivers check signatures with (`WEBHOOK_SECRET`).
        public var secret: Secret
        /// Whether every turn is sent too (`WEBHOOK_TURNS`), not only starts and ends.
        public var turns: Bool
    }

    /// The shortest `WEBHOOK_SECRET` accepted.
    public static let minimumWebhookSecretLength = 16
}

extension EnvironmentReader {
    /// `WEBHOOK_URL` with its secret, or nil when no URL is set. An unsigned webhook is refused:
    /// anyone who learns the receiver's address could otherwise post fake calls to it.
    func webhook() throws(ConfigurationError) -> Configuration.Webhook? {
        guard let text = value("WEBHOOK_URL") else { return nil }
        let example = "WEBHOOK_URL=https://crm.example.com/ura-events"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else {
            throw ConfigurationError(variable: "WEBHOOK_URL", problem: "is \"\(text)\", not an http:// or https:// URL without credentials", example: example)
        }
        guard let secret = try optionalSecret("WEBHOOK_SECRET"), secret.reveal().count >= Configuration.minimumWebhookSecretLength else {
            throw ConfigurationError(
                variable: "WEBHOOK_SECRET",
                problem: "must be set, at least \(Configuration.minimumWebhookSecretLength) characters, when WEBHOOK_URL is (receivers check each event's signature with it)",
                example: "WEBHOOK_SECRET=$(openssl rand -hex 32)")
        }
        return Configuration.Webhook(url: url, secret: secret, turns: try flag("WEBHOOK_TURNS", default: false))
    }
}
