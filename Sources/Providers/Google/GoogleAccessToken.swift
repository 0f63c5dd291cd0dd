import Foundation
import HTTP

/// OAuth2 access tokens for a Google service account, minted from a signed JWT, cached and
/// renewed before they expire.
///
/// Concurrent callers share one token request; a token is renewed once less than
/// ``refreshMargin`` of its life is left, so no request leaves with a token about to lapse.
public actor GoogleAccessToken {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"

    private let account: GoogleServiceAccount
    private let signer: JWTSigner
    private let endpoint: ProviderEndpoint
    private let refreshMargin: Duration
    private var cached: (token: String, expires: ContinuousClock.Instant)?
    private var inFlight: Task<(String, ContinuousClock.Instant), any Error>?

    /// - Throws: ``ProviderError/misconfigured(provider:reason:)`` when the key is unusable.
    public init(account: GoogleServiceAccount, endpoint: ProviderEndpoint, refreshMargin: Duration = .seconds(300)) throws {
        self.account = account
        self.signer = try JWTSigner(pem: account.privateKeyPEM.reveal(), keyID: account.privateKeyID)
        self.endpoint = endpoint
        self.refreshMargin = refreshMargin
    }

    /// A token valid for at least the refresh margin (or as long as the server grants).
    public func token() async throws -> String {
        if let cached, ContinuousClock.now + refreshMargin < cached.expires { return cached.token }
        let task: Task<(String, ContinuousClock.Instant), any Error>
        if let inFlight {
            task = inFlight
        } else {
            // Unstructured so that one caller's cancellation does not fail the others waiting
            // on the same token; it ends with its request and is dropped below.
            task = Task { [account, signer, endpoint] in try await Self.mint(account: account, signer: signer, endpoint: endpoint) }
            inFlight = task
        }
        defer { if inFlight == task { inFlight = nil } }
        let (token, expires) = try await task.value
        cached = (token, expires)
        return token
    }

    /// Forgets the cached token (after the API refused it).
    public func invalidate() { cached = nil }

    private struct Answer: Decodable {
        var access_token: String
        var expires_in: Int?
    }

    private static func mint(account: GoogleServiceAccount, signer: JWTSigner, endpoint: ProviderEndpoint) async throws -> (String, ContinuousClock.Instant) {
        let issued = Int(Date().timeIntervalSince1970)
        let assertion = try signer.token(claims: [
            "iss": account.clientEmail, "scope": scope, "aud": account.tokenURI.absoluteString,
            "iat": issued, "exp": issued + 3600,
        ])
        var form = URLComponents()
        form.queryItems = [
            URLQueryItem(name: "grant_type", value: "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            URLQueryItem(name: "assertion", value: assertion),
        ]
        let request = HTTPRequest(
            method: .post, url: account.tokenURI, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data((form.percentEncodedQuery ?? "").utf8))
        let started = ContinuousClock.now
        let (_, body) = try await endpoint.fetch(request, accepting: ["application/json"])
        guard let answer = try? JSONDecoder().decode(Answer.self, from: body), !answer.access_token.isEmpty else {
            throw endpoint.malformed("token answer without access_token")
        }
        return (answer.access_token, started + .seconds(answer.expires_in ?? 3600))
    }
}
