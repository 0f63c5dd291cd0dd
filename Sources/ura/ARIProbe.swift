import Foundation
import HTTP
import Settings

/// The two questions `ura check` asks ARI, over plain REST.
struct ARIProbe {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let client: HTTPClient
    let config: Configuration.ARI

    func asteriskVersion() async throws -> String {
        let object = try await getJSON("asterisk/info") as? [String: Any]
        guard let system = object?["system"] as? [String: Any], let version = system["version"] as? String else {
            throw Failure(description: "GET /ari/asterisk/info answered without system.version; is this Asterisk's ARI?")
        }
        return version
    }

    func isApplicationRegistered() async throws -> Bool {
        guard let apps = try await getJSON("applications") as? [[String: Any]] else {
            throw Failure(description: "GET /ari/applications did not answer a list")
        }
        return apps.contains { $0["name"] as? String == config.app }
    }

    private func getJSON(_ path: String) async throws -> Any {
        let url = config.url.appending(path: "ari/" + path)
        let request = HTTPRequest(
            method: .get, url: url, basicAuth: .init(username: config.username, password: config.password.reveal()),
            timeout: .milliseconds(config.requestTimeoutMilliseconds))
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            throw Failure(description: "cannot reach ARI: \(error)")
        }
        switch response.status {
        case 200: break
        case 401: throw Failure(description: "ARI refused user \"\(config.username)\" (401): check ARI_USERNAME/ARI_PASSWORD against ari.conf")
        case 403: throw Failure(description: "ARI user \"\(config.username)\" may not do this (403): read_only or ACL in ari.conf")
        case 404: throw Failure(description: "\(url.absoluteString) not found (404): is ARI enabled (ari.conf, res_ari loaded) and is the http.conf prefix part of ARI_URL?")
        case 503: throw Failure(description: "Asterisk is still booting (503); try again")
        default: throw Failure(description: "GET \(url.path) answered HTTP \(response.status)")
        }
        do {
            return try JSONSerialization.jsonObject(with: response.body)
        } catch {
            throw Failure(description: "GET \(url.path) answered something that is not JSON")
        }
    }
}
