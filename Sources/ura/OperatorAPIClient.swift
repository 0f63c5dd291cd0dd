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
    private let trustedCertificatesPath: String?

    init(settings: Configuration.OperatorAPI) {
        // A wildcard listen address is reached on loopback.
        let host = switch settings.host {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        default: settings.host
        }
        // With HTTPS the server's own certificate is the one trusted: it is usually self-signed.
        let scheme = settings.tls == nil ? "http" : "https"
        baseURL = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(settings.port)"
        token = settings.token?.reveal()
        trustedCertificatesPath = settings.tls?.certificatePath
    }

    func shutdown() { http.shutdown() }

    /// Escapes an id for use as one path segment.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }

    /// Sends a request; returns the body of a 2xx answer, otherwise reports the error and exits.
    func send(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = []) async throws -> Data {
        let request = try makeRequest(method, path, query: query, accept: "application/json", timeout: .seconds(10))
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch {
            throw fail("cannot reach ura's operator API at \(baseURL): \(error)", code: 1)
        }
        try check(status: response.status, body: response.body)
        return response.body
    }

    /// Opens an event stream; returns its body once the server accepted it, otherwise reports the error and exits.
    func stream(_ path: String) async throws -> AsyncThrowingStream<Data, any Error> {
        // A day: the stream lasts as long as the call, or as long as the operator watches.
        let request = try makeRequest(.get, path, query: [], accept: "text/event-stream", timeout: .seconds(86_400))
        let head: HTTPResponseHead
        let body: AsyncThrowingStream<Data, any Error>
        do {
            (head, body) = try await http.stream(request)
        } catch {
            throw fail("cannot reach ura's operator API at \(baseURL): \(error)", code: 1)
        }
        if !(200..<300).contains(head.status) {
            var errorBody = Data()
            for try await chunk in body { errorBody += chunk }
            try check(status: head.status, body: errorBody)
        }
        return body
    }

    private func makeRequest(
        _ method: HTTPRequest.Method, _ path: String, query: [(String, String)], accept: String, timeout: Duration
    ) throws -> HTTPRequest {
        var components = URLComponents(string: baseURL + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url else { throw fail("cannot build a URL from \(baseURL)\(path)", code: 1) }
        var headers: [(name: String, value: String)] = [(name: "Accept", value: accept)]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        return HTTPRequest(method: method, url: url, headers: headers, timeout: timeout, trustedCertificatesPath: trustedCertificatesPath)
    }

    private func check(status: Int, body: Data) throws {
        guard !(200..<300).contains(status) else { return }
        let detail = try? OperatorJSON.decoder().decode(OperatorAPIError.ErrorBody.self, from: body).error
        let message = detail.map { "\($0.message) (\($0.code))" } ?? "HTTP \(status)"
        if status == 401 {
            throw fail("the operator API refused the token: check OPERATOR_TOKEN (\(message))", code: 1)
        }
        throw fail(message, code: status == 404 ? 3 : 1)
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
