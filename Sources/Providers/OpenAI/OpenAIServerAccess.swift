import Foundation
import HTTP
import Settings

/// Where an OpenAI-compatible server is and how to authenticate to it.
public struct OpenAIServerAccess: Sendable {
    /// The API root including `/v1`.
    public var baseURL: URL
    public var apiKey: Secret?

    public init(baseURL: URL, apiKey: Secret? = nil) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// A request to `path` under the base URL, with the bearer key when there is one.
    func request(_ path: String, contentType: String, accept: String, body: Data) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType), ("Accept", accept)]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey.reveal())")) }
        return HTTPRequest(method: .post, url: baseURL.appendingPathComponent(path), headers: headers, body: body)
    }
}
