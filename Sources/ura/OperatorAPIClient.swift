import ArgumentParser
import Foundation
import HTTP
import OperatorAPI
import Settings
import StructuredLogging

/// The few requests `ura calls` makes to a running ura's operator API.
///
/// Every failure is printed as one line on standard error and becomes the command's exit code:
/// 1 for an unreachable or refusing API, 3 for an unknown call.
struct OperatorAPIClient {
    private let http = HTTPClient(name: "ura-calls")
    private let baseURL: String
    private let token: String?

    init(settings: Configuration.OperatorAPI) {
        // A wildcard listen address is reached on loopback.
        let host = switch settings.host {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        default: settings.host
        }
        baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(settings.port)"
        token = settings.token?.reveal()
    }

    func shutdown() { http.shutdown() }

    /// Escapes an id for use as one path segment.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }

    /// Sends a request; returns the body of a 2xx answer, otherwise reports the error and exits.
    func send(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = []) async throws -> Data {
        var components = URLComponents(string: baseURL + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url else { throw fail("cannot build a URL from \(baseURL)\(path)", code: 1) }
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try await http.execute(HTTPRequest(method: method, url: url, headers: headers, timeout: .seconds(10)))
        } catch {
            throw fail("cannot reach ura's operator API at \(baseURL): \(error)", code: 1)
        }
        guard (200..<300).contains(response.status) else {
            let detail = try? OperatorJSON.decoder().decode(OperatorAPIError.ErrorBody.self, from: response.body).error
            let message = detail.map { "\($0.message) (\($0.code))" } ?? "HTTP \(response.status)"
            if response.status == 401 {
                throw fail("the operator API refused the token: check OPERATOR_TOKEN (\(message))", code: 1)
            }
            throw fail(message, code: response.status == 404 ? 3 : 1)
        }
        return response.body
    }

    func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do {
            return try OperatorJSON.decoder().decode(T.self, from: body)
        } catch {
            throw fail("the operator API answered something this ura cannot read: \(error)", code: 1)
        }
    }

    private func fail(_ message: String, code: Int32) -> ExitCode {
        StandardErrorOutput().write(line: "ura: \(message)\n")
        return ExitCode(code)
    }
}
