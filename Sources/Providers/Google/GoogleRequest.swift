import Foundation
import HTTP

/// One authenticated JSON POST to a Google Cloud REST API.
enum GoogleRequest {
    /// Sends `body` with a bearer token and returns the answer's body. A 401 means the token
    /// was revoked or expired early: it is dropped and the request made once more with a new one.
    static func send(url: URL, body: Data, endpoint: ProviderEndpoint, tokens: GoogleAccessToken) async throws -> Data {
        for attempt in 1...2 {
            let token = try await tokens.token()
            let request = HTTPRequest(
                method: .post, url: url,
                headers: [("Content-Type", "application/json"), ("Accept", "application/json"), ("Authorization", "Bearer \(token)")],
                body: body)
            do {
                return try await endpoint.fetch(request, accepting: ["application/json"]).body
            } catch ProviderError.http(_, 401, _) where attempt == 1 {
                await tokens.invalidate()
            }
        }
        throw ProviderError.misconfigured(provider: endpoint.provider, reason: "access token refused twice")
    }
}
