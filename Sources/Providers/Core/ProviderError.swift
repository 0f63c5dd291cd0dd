import Foundation

/// Why a provider call failed, in terms the fallback chain, the stats and the logs can act on.
public enum ProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server answered with a non-success status; `message` is its own explanation.
    case http(provider: String, status: Int, message: String)
    /// No response head, or no body byte, arrived within the first-byte timeout.
    case firstByteTimeout(provider: String)
    /// The whole exchange took longer than its deadline.
    case timedOut(provider: String)
    /// No connection could be made, or it broke before the answer was complete.
    case connection(provider: String, reason: String)
    /// The answer does not follow the provider's wire format.
    case malformedResponse(provider: String, reason: String)
    /// A streamed answer ended before the server said it was complete.
    case streamAborted(provider: String)
    /// The answer's Content-Type is not one the provider can produce for this request.
    case unexpectedContentType(provider: String, contentType: String)
    /// The answer grew beyond what ura accepts from this provider.
    case responseTooLarge(provider: String, limit: Int)
    /// The provider cannot run as configured (credentials unreadable, key invalid).
    case misconfigured(provider: String, reason: String)
    /// Every provider of a fallback chain failed; `failures` lists each one's error in order.
    case allProvidersFailed(role: String, failures: [String])

    /// A short label for counting errors by kind: `http_429`, `http_5xx`, `timeout`, …
    public var kind: String {
        switch self {
        case .http(_, let status, _) where status == 429: "http_429"
        case .http(_, let status, _) where status >= 500: "http_5xx"
        case .http: "http_4xx"
        case .firstByteTimeout: "first_byte_timeout"
        case .timedOut: "timeout"
        case .connection: "connection"
        case .malformedResponse: "malformed"
        case .streamAborted: "aborted"
        case .unexpectedContentType: "content_type"
        case .responseTooLarge: "too_large"
        case .misconfigured: "misconfigured"
        case .allProvidersFailed: "all_failed"
        }
    }

    public var description: String {
        switch self {
        case .http(let provider, let status, let message): "\(provider) answered HTTP \(status): \(message)"
        case .firstByteTimeout(let provider): "\(provider) sent nothing within its first-byte timeout"
        case .timedOut(let provider): "\(provider) timed out"
        case .connection(let provider, let reason): "cannot reach \(provider): \(reason)"
        case .malformedResponse(let provider, let reason): "\(provider) sent a malformed answer: \(reason)"
        case .streamAborted(let provider): "\(provider) ended its stream before finishing"
        case .unexpectedContentType(let provider, let type): "\(provider) answered with unexpected Content-Type \"\(type)\""
        case .responseTooLarge(let provider, let limit): "\(provider) sent more than \(limit) bytes"
        case .misconfigured(let provider, let reason): "\(provider) is misconfigured: \(reason)"
        case .allProvidersFailed(let role, let failures): "every \(role) provider failed: \(failures.joined(separator: "; "))"
        }
    }
}
