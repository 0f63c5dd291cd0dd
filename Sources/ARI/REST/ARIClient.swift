import Foundation
import HTTP
import Logging

/// Typed access to Asterisk's ARI REST interface.
///
/// Requests run on the ``HTTPClient``'s curl thread; this type holds no mutable state and may be
/// shared freely. Parameters of POST and PUT calls go in a JSON body with real JSON types
/// (Asterisk's `res_ari` reads every documented parameter from the body, and a quoted number as
/// 0); GET and DELETE parameters, all strings, go in the query string because a GET request
/// cannot carry a body through curl.
///
/// Cancelling the calling task aborts the request and throws `CancellationError`. Every other
/// failure is an ``ARIError``.
///
/// ```swift
/// let http = HTTPClient(name: "ari-http")
/// let ari = ARIClient(configuration: .init(url: URL(string: "http://127.0.0.1:8088")!, username: "ura", password: secret),
///                     httpClient: http, logger: logger)
/// try await ari.answer(channel.id)
/// ```
public struct ARIClient: Sendable {
    /// Where ARI lives and how to log in.
    public struct Configuration: Sendable {
        /// Asterisk's HTTP server, e.g. `http://127.0.0.1:8088` (with any `http.conf` prefix); `/ari` is appended.
        /// A user name or password inside the URL is dropped so it cannot reach logs or errors: use
        /// ``username`` and ``password``.
        public var url: URL
        /// The `ari.conf` user.
        public var username: String
        /// Sent as HTTP Basic authentication only; never logged or put in an error.
        public var password: String
        /// Deadline of each request, connection included.
        public var requestTimeout: Duration
        /// Deadline of the TCP (and TLS) connection alone.
        public var connectTimeout: Duration

        /// Defaults: 10 s per request, 3 s to connect.
        public init(
            url: URL, username: String, password: String,
            requestTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3)
        ) {
            self.url = url
            self.username = username
            self.password = password
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
        }
    }

    /// The settings this client was made with.
    public let configuration: Configuration
    private let http: HTTPClient
    private let logger: Logger
    /// `<url>/ari` without credentials or a trailing slash.
    private let endpoint: String

    /// - Parameters:
    ///   - httpClient: the client whose thread carries the requests; its owner shuts it down.
    ///   - logger: receives one debug line per request (method, path, status, duration).
    public init(configuration: Configuration, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = httpClient
        self.logger = logger
        var components = URLComponents(url: configuration.url, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        var endpoint = components?.string ?? configuration.url.absoluteString
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint + "/ari"
    }

    /// A copy whose requests use another deadline, for calls that deserve more or less patience.
    public func withTimeout(_ timeout: Duration) -> ARIClient {
        var configuration = configuration
        configuration.requestTimeout = timeout
        return ARIClient(configuration: configuration, httpClient: http, logger: logger)
    }

    // MARK: Request plumbing

    /// Sends one request; returns the body of a 2xx answer.
    ///
    /// - Parameters:
    ///   - operation: the name errors and logs use.
    ///   - path: path segments after `/ari`, percent-encoded here.
    ///   - parameters: query parameters (GET, DELETE) or JSON body members (POST, PUT).
    @discardableResult
    func send(
        _ operation: String, _ method: HTTPRequest.Method, _ path: [String], _ parameters: JSONObject = JSONObject()
    ) async throws -> Data {
        let bodyAllowed = method == .post || method == .put
        var urlText = endpoint
        for segment in path { urlText += "/" + Self.percentEncode(segment) }
        if !bodyAllowed, parameters.count > 0 {
            urlText += "?" + parameters.map { "\(Self.percentEncode($0.key))=\(Self.percentEncode(Self.queryText($0.value)))" }
                .joined(separator: "&")
        }
        guard let url = URL(string: urlText) else {
            throw ARIError.transport(operation: operation, .transfer(url: urlText, code: -1, reason: "invalid URL"))
        }
        var request = HTTPRequest(
            method: method, url: url, headers: [("Accept", "application/json")],
            basicAuth: .init(username: configuration.username, password: configuration.password),
            timeout: configuration.requestTimeout, connectTimeout: configuration.connectTimeout)
        if bodyAllowed, parameters.count > 0 {
            request.headers.append(("Content-Type", "application/json"))
            request.body = JSONValue.object(parameters).jsonData
        }

        let clock = ContinuousClock()
        let start = clock.now
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            logger.debug("ARI request failed", metadata: ["operation": "\(operation)", "method": "\(method.rawValue)", "path": "\(url.path)", "error": "\(error)"])
            throw ARIError.transport(operation: operation, error)
        }
        logger.debug(
            "ARI request", metadata: [
                "operation": "\(operation)", "method": "\(method.rawValue)", "path": "\(url.path)",
                "status": "\(response.status)", "elapsed": "\(clock.now - start)",
            ])
        guard (200..<300).contains(response.status) else {
            throw Self.httpError(operation: operation, response: response)
        }
        return response.body
    }

    /// Sends a request and decodes the answer's body.
    func send<Model: Decodable>(
        _ operation: String, _ method: HTTPRequest.Method, _ path: [String], _ parameters: JSONObject = JSONObject(),
        as type: Model.Type = Model.self
    ) async throws -> Model {
        let body = try await send(operation, method, path, parameters)
        do {
            return try ARIJSON.decode(Model.self, from: body)
        } catch {
            throw ARIError.decoding(operation: operation, error)
        }
    }

    static func httpError(operation: String, response: HTTPResponse) -> ARIError {
        // Asterisk answers {"message": "..."} and, for allocation failures, {"error": "..."}.
        let object = (try? JSONValue.parse(response.body))?.objectValue
        let message = object?["message"]?.stringValue
        let error = object?["error"]?.stringValue
        let body = object == nil && !response.body.isEmpty ? String(decoding: response.body, as: UTF8.self) : nil
        return .http(operation: operation, status: response.status, message: message, error: error, body: body)
    }

    /// Query text of a parameter value: strings as they are, lists comma-joined (ARI's multi-value form).
    private static func queryText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let elements): elements.map(queryText).joined(separator: ",")
        case .bool(let flag): flag ? "true" : "false"
        default: value.jsonText
        }
    }

    /// RFC 3986 unreserved characters pass; everything else is percent-encoded (ids may hold `/`, `?`, `&`).
    static func percentEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}

extension JSONObject {
    /// Sets `key` only when `value` is present: optional ARI parameters are omitted, not sent as null.
    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}
