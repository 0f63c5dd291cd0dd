import Foundation

extension EnvironmentReader {
    /// `RECORDS_URL`, when set: only its scheme is checked here; the records store reads the rest
    /// (and says what is wrong with it) when it opens the database.
    func recordsURL() throws(ConfigurationError) -> Secret? {
        guard let url = try optionalSecret("RECORDS_URL") else { return nil }
        let scheme = url.reveal().prefix { $0 != ":" }.lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw ConfigurationError(
                variable: "RECORDS_URL", problem: "is not a postgresql:// URL (SQLite files are named by RECORDS_PATH)",
                example: "RECORDS_URL=postgresql://ura:secret@db.internal/ura?sslmode=require")
        }
        return url
    }

    /// `OPERATOR_ADVERTISE_URL`: an http(s) URL without credentials or query (the API's token
    /// goes with each request, never in the URL).
    func operatorAdvertiseURL() throws(ConfigurationError) -> URL? {
        guard let text = value("OPERATOR_ADVERTISE_URL") else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil
        else {
            throw ConfigurationError(
                variable: "OPERATOR_ADVERTISE_URL", problem: "is \"\(text)\", not an http:// or https:// URL without credentials or query",
                example: "OPERATOR_ADVERTISE_URL=http://10.0.0.7:8080")
        }
        return url
    }
}
