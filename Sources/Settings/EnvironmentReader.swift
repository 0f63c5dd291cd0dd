import Audio
import Foundation

/// Reads one variable at a time, turning each bad value into a ``ConfigurationError``.
struct EnvironmentReader {
    private let environment: [String: String]

    init(_ environment: [String: String]) { self.environment = environment }

    /// The variable's value, with surrounding blanks removed; nil when unset or empty.
    func value(_ name: String) -> String? {
        guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    func string(_ name: String, default fallback: String) -> String {
        value(name) ?? fallback
    }

    func secret(_ name: String, example: String) throws(ConfigurationError) -> Secret {
        guard let raw = environment[name], !raw.isEmpty else {
            throw ConfigurationError(variable: name, problem: "is missing", example: example)
        }
        return Secret(raw)
    }

    func optionalSecret(_ name: String) throws(ConfigurationError) -> Secret? {
        guard let raw = environment[name], !raw.isEmpty else { return nil }
        return Secret(raw)
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text) else {
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not a whole number", example: "\(name)=\(fallback)")
        }
        guard range.contains(number) else {
            throw ConfigurationError(
                variable: name, problem: "is \(number), outside \(range.lowerBound)...\(range.upperBound)",
                example: "\(name)=\(fallback)")
        }
        return number
    }

    /// `on`/`off` (also `true`/`false`, `yes`/`no`, `1`/`0`).
    func flag(_ name: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let text = value(name) else { return fallback }
        switch text.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default:
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not on or off", example: "\(name)=\(fallback ? "on" : "off")")
        }
    }

    /// Comma-separated items, trimmed, in lower case; nil when unset.
    func list(_ name: String) -> [String]? {
        value(name).map { text in
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        }
    }

    func choice<Choice: ConfigurationChoice>(_ name: String, default fallback: Choice) throws(ConfigurationError) -> Choice {
        guard let text = value(name) else { return fallback }
        guard let choice = Choice(rawValue: text.lowercased()) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not one of \(allowed)", example: "\(name)=\(fallback.rawValue)")
        }
        return choice
    }

    /// `MEDIA_FORMAT`: a format ura can send back to Asterisk.
    func mediaFormat() throws(ConfigurationError) -> AudioFormat {
        guard let text = value("MEDIA_FORMAT") else { return .ulaw }
        guard let format = AudioFormat(rawValue: text.lowercased()), format.canSend else {
            let allowed = AudioFormat.allCases.filter(\.canSend).map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: "MEDIA_FORMAT", problem: "is \"\(text)\", not one of \(allowed)", example: "MEDIA_FORMAT=ulaw")
        }
        return format
    }

    /// `ARI_URL`: one Asterisk, or several separated by spaces or commas.
    func ariURLs() throws(ConfigurationError) -> [URL] {
        guard let text = value("ARI_URL") else {
            throw ConfigurationError(variable: "ARI_URL", problem: "is missing", example: "ARI_URL=http://127.0.0.1:8088")
        }
        let entries = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        guard !entries.isEmpty else {
            throw ConfigurationError(variable: "ARI_URL", problem: "is empty", example: "ARI_URL=http://127.0.0.1:8088")
        }
        var urls: [URL] = []
        for entry in entries {
            let url = try ariURL(entry)
            guard !urls.contains(url) else {
                throw ConfigurationError(
                    variable: "ARI_URL", problem: "names \(url.absoluteString) twice",
                    example: "ARI_URL=http://pbx-a:8088 http://pbx-b:8088")
            }
            urls.append(url)
        }
        return urls
    }

    private func ariURL(_ text: String) throws(ConfigurationError) -> URL {
        let example = "ARI_URL=http://127.0.0.1:8088"
        guard text.contains("://"), let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ConfigurationError(variable: "ARI_URL", problem: "is \"\(text)\", which has no http:// or https:// scheme", example: example)
        }
        guard scheme == "http" || scheme == "https" else {
            throw ConfigurationError(variable: "ARI_URL", problem: "has scheme \"\(scheme)\"; ARI is reached over http or https", example: example)
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(variable: "ARI_URL", problem: "is \"\(text)\", which names no host", example: example)
        }
        guard components.user == nil, components.password == nil else {
            throw ConfigurationError(
                variable: "ARI_URL", problem: "carries credentials; put them in ARI_USERNAME and ARI_PASSWORD", example: example)
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/ari") { path.removeLast(4) }
        var normalized = URLComponents()
        normalized.scheme = scheme
        normalized.host = host
        normalized.port = components.port
        normalized.path = path
        guard let url = normalized.url else {
            throw ConfigurationError(variable: "ARI_URL", problem: "is \"\(text)\", which is not a valid URL", example: example)
        }
        return url
    }

    func appName() throws(ConfigurationError) -> String {
        let app = value("ARI_APP") ?? "ura"
        // Asterisk caps app names at 73 characters and splits the events URL's app list on commas.
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard app.count <= 73, app.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw ConfigurationError(
                variable: "ARI_APP", problem: "is \"\(app)\"; use up to 73 letters, digits, '-', '_' or '.'", example: "ARI_APP=ura")
        }
        return app
    }

    /// `URA_INSTANCE`: lowercase letters, digits and '-', as it goes into resource ids.
    func instanceName() throws(ConfigurationError) -> String? {
        guard let name = value("URA_INSTANCE") else { return nil }
        guard (1...40).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
              name.contains(where: { $0 != "-" }) else {
            throw ConfigurationError(
                variable: "URA_INSTANCE", problem: "is \"\(name)\"; use up to 40 lowercase letters, digits or '-'",
                example: "URA_INSTANCE=ura-1")
        }
        return name
    }

    func ipAddress(_ name: String, default fallback: String) throws(ConfigurationError) -> String {
        let text = value(name) ?? fallback
        guard IPAddress.isLiteral(text) else {
            throw ConfigurationError(variable: name, problem: "is \"\(text)\", not an IPv4 or IPv6 address", example: "\(name)=\(fallback)")
        }
        return text
    }

    /// `MEDIA_ADVERTISE_ADDRESS`: one address for every Asterisk, or one per `ARI_URL` entry in
    /// the same order (servers in different networks reach ura at different addresses).
    func advertiseAddresses(bindAddress: String, servers: Int) throws(ConfigurationError) -> [String] {
        guard let text = value("MEDIA_ADVERTISE_ADDRESS") else {
            // A wildcard bind says nothing about where Asterisk can reach us; loopback fits
            // Asterisk on the same host, and anything else must be configured.
            return [IPAddress.isWildcard(bindAddress) ? (bindAddress.contains(":") ? "::1" : "127.0.0.1") : bindAddress]
        }
        let addresses = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        for address in addresses where IPAddress.isWildcard(address) || !(IPAddress.isLiteral(address) || IPAddress.isHostname(address)) {
            throw ConfigurationError(
                variable: "MEDIA_ADVERTISE_ADDRESS", problem: "is \"\(text)\"; give the address Asterisk sends RTP to",
                example: "MEDIA_ADVERTISE_ADDRESS=192.0.2.10")
        }
        guard addresses.count == 1 || addresses.count == servers else {
            throw ConfigurationError(
                variable: "MEDIA_ADVERTISE_ADDRESS",
                problem: "lists \(addresses.count) addresses for \(servers) ARI_URL servers; give one for all or one per server",
                example: "MEDIA_ADVERTISE_ADDRESS=192.0.2.10")
        }
        return addresses
    }

    func hostPort(_ name: String, default fallback: String) throws(ConfigurationError) -> (String, Int) {
        let text = value(name) ?? fallback
        let problem = ConfigurationError(variable: name, problem: "is \"\(text)\", not host:port", example: "\(name)=\(fallback)")
        guard let colon = text.lastIndex(of: ":") else { throw problem }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, IPAddress.isLiteral(host) || IPAddress.isHostname(host),
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
        else { throw problem }
        return (host, port)
    }

    func providerFailure() throws(ConfigurationError) -> Configuration.ProviderFailure {
        let destination = try transferDestination("URA_FAILURE_TRANSFER_TO")
        let threshold = try integer("URA_FAILURE_THRESHOLD", default: 2, in: 1...100)
        let text = value("URA_ON_PROVIDER_FAILURE") ?? "apologize"
        let action: ProviderFailureAction
        switch text.lowercased() {
        case "apologize": action = .apologize
        case "hangup": action = .hangUp
        case "transfer":
            guard let destination else {
                throw ConfigurationError(
                    variable: "URA_FAILURE_TRANSFER_TO", problem: "is missing and URA_ON_PROVIDER_FAILURE=transfer needs a destination",
                    example: "URA_FAILURE_TRANSFER_TO=PJSIP/1001")
            }
            action = .transfer(destination: destination)
        default:
            throw ConfigurationError(
                variable: "URA_ON_PROVIDER_FAILURE", problem: "is \"\(text)\", not one of apologize, transfer, hangup",
                example: "URA_ON_PROVIDER_FAILURE=transfer")
        }
        return Configuration.ProviderFailure(action: action, threshold: threshold)
    }

    /// A transfer target (``TransferDestination``); nil when unset.
    func transferDestination(_ name: String) throws(ConfigurationError) -> TransferDestination? {
        guard let text = value(name) else { return nil }
        do {
            return try TransferDestination(parsing: text)
        } catch {
            throw ConfigurationError(
                variable: name, problem: "is not [context,]exten[,priority] or TECH/resource: it \(error)", example: "\(name)=PJSIP/1001")
        }
    }

    /// `OPERATOR_TLS_CERT` and `OPERATOR_TLS_KEY`: both readable files, or neither set.
    func operatorTLS() throws(ConfigurationError) -> Configuration.TLS? {
        let certificate = value("OPERATOR_TLS_CERT"), key = value("OPERATOR_TLS_KEY")
        guard certificate != nil || key != nil else { return nil }
        let example = "OPERATOR_TLS_CERT=/etc/ura/tls/cert.pem OPERATOR_TLS_KEY=/etc/ura/tls/key.pem"
        guard let certificate, let key else {
            throw ConfigurationError(
                variable: certificate == nil ? "OPERATOR_TLS_CERT" : "OPERATOR_TLS_KEY",
                problem: "is missing; HTTPS needs both the certificate and its key", example: example)
        }
        for (name, path) in [("OPERATOR_TLS_CERT", certificate), ("OPERATOR_TLS_KEY", key)]
        where !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigurationError(variable: name, problem: "names \"\(path)\", which is not a readable file", example: example)
        }
        return Configuration.TLS(certificatePath: certificate, privateKeyPath: key)
    }
}
