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

    /// Parses the request line and header block (`GET /ari/x?y=1 HTTP/1.1\r\n...`); nil when malformed.
    init?(head: String) {
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3 else { return nil }
        method = String(requestLine[0])
        let target = String(requestLine[1])
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(pieces[0]).removingPercentEncoding ?? String(pieces[0])
        query = pieces.count > 1 ? HTTPServerRequest.decodeForm(String(pieces[1])) : []
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
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
