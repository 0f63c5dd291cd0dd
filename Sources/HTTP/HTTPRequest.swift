import Foundation

/// One HTTP request for ``HTTPClient``.
public struct HTTPRequest: Sendable {
    /// HTTP methods ura sends.
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH"
    }

    /// User name and password sent as HTTP Basic authentication.
    public struct BasicAuth: Sendable {
        public var username: String
        /// Kept out of every description: only the curl thread reads it.
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var method: Method
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: Data?
    public var basicAuth: BasicAuth?
    /// Deadline for the whole exchange, connect included (for streams: until the last byte).
    public var timeout: Duration
    /// Deadline for the TCP (and TLS) connection alone.
    public var connectTimeout: Duration
    /// A PEM file of certificates to trust for `https` instead of the system's (a self-signed
    /// server's own certificate); nil trusts the system's.
    public var trustedCertificatesPath: String?

    public init(
        method: Method, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
        basicAuth: BasicAuth? = nil, timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3),
        trustedCertificatesPath: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.trustedCertificatesPath = trustedCertificatesPath
    }
}

/// The status line and headers of a response.
public struct HTTPResponseHead: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A complete response.
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: Data

    public var status: Int { head.status }
}

/// Why a request produced no response.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    /// The request's deadline passed.
    case timedOut(url: String)
    /// No connection could be made (refused, unreachable, name not resolved, TLS failure).
    case connectionFailed(url: String, reason: String)
    /// Any other transfer failure reported by curl.
    case transfer(url: String, code: Int, reason: String)
    /// The client was shut down before the request finished.
    case shutDown

    public var description: String {
        switch self {
        case .timedOut(let url): "request to \(url) timed out"
        case .connectionFailed(let url, let reason): "cannot connect to \(url): \(reason)"
        case .transfer(let url, let code, let reason): "transfer from \(url) failed (curl \(code)): \(reason)"
        case .shutDown: "HTTP client is shut down"
        }
    }
}
