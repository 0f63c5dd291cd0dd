import Crypto
import Foundation

/// The `X-URA-Signature` header of a webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
/// keyed with `WEBHOOK_SECRET` over `"<t>.<body>"`.
///
/// The timestamp is signed with the body so a receiver can refuse replays of an old delivery
/// (check that `t` is recent), and the `v1=` label leaves room for another scheme later.
public enum WebhookSignature {
    public static let header = "X-URA-Signature"

    /// The header value for `body` sent at `timestamp`.
    public static func sign(_ body: Data, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(mac(body, secret: secret, timestamp: timestamp))"
    }

    /// Whether `header` signs `body` with `secret` (how a receiver checks it), at most
    /// `tolerance` seconds away from `now`.
    public static func verify(_ header: String, body: Data, secret: String, now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Data(mac(body, secret: secret, timestamp: timestamp).utf8)
        // Compared in constant time: a timing difference would leak the signature byte by byte.
        return signatures.contains { candidate in
            let given = Data(candidate.utf8)
            return given.count == expected.count && zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    private static func mac(_ body: Data, secret: String, timestamp: Int) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
