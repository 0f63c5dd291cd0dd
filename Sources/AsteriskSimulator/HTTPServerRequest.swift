import Foundation

/// One HTTP request as the simulator's server read it.
struct HTTPServerRequest: Sendable {
    var method: String
    /// The path without the query, percent-decoded.
    var path: String
    /// Query pairs in order, percent-decoded (`+` is a space).
    var query: [(name: String, value: String)]
    /// Header names lower-cased.
    var headers: [String: String]
    var body: [UInt8]

    /// The last value of a query parameter (Asterisk keeps the last of repeated keys).
    func queryValue(_ name: String) -> String? { query.last { $0.name == name }?.value }

    /// A request from its method, target (`/ari/x?y=1`) and header lines.
    init(method: String, target: String, headers: [(String, String)]) {
        self.method = method
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(pieces.first ?? "").removingPercentEncoding ?? String(pieces.first ?? "")
        query = pieces.count > 1 ? HTTPServerRequest.decodeForm(String(pieces[1])) : []
        self.headers = [:]
        for (name, value) in headers { self.headers[name.lowercased()] = value }
        body = []
    }

    /// Splits `a=1&b=x%20y` into pairs.
    static func decodeForm(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
