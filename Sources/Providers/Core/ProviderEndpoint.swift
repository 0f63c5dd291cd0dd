import Foundation
import Telemetry
import HTTP
import Logging

/// One provider's HTTP access: its client, deadlines, retry policy, size limit and counters.
///
/// Every provider request goes through ``open(_:accepting:)``, which retries failed attempts
/// (429 honouring Retry-After, 5xx, connection errors, first-byte timeouts) within the retry
/// budget and returns only once the first body byte of a successful answer is in: a caller of
/// `open` never sees half an answer followed by a retry.
///
/// Cancelling the calling task aborts the transfer in flight and any backoff wait.
public struct ProviderEndpoint: Sendable {
    /// The provider's name in stats, costs and errors (`openai`, `local`, `google`).
    public let provider: String
    public let client: HTTPClient
    public var timeouts: ProviderTimeouts
    public var retry: RetryPolicy
    /// Largest answer body accepted; more fails with ``ProviderError/responseTooLarge(provider:limit:)``.
    public var maxResponseBytes: Int
    public let stats: ProviderStats
    var logger = Logger(label: "ura.providers")

    public init(
        provider: String, client: HTTPClient, timeouts: ProviderTimeouts = ProviderTimeouts(), retry: RetryPolicy = RetryPolicy(),
        maxResponseBytes: Int = 32 << 20, stats: ProviderStats
    ) {
        self.provider = provider
        self.client = client
        self.timeouts = timeouts
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
        self.stats = stats
    }

    /// Sends `request` (its timeouts replaced by the endpoint's) until a success arrives or retrying is over.
    /// - Parameter accepting: Content-Type prefixes a successful answer may have (lower case);
    ///   an answer without Content-Type is accepted.
    /// - Throws: ``ProviderError``, or `CancellationError`.
    public func open(_ request: HTTPRequest, accepting: [String]) async throws -> ProviderResponse {
        var request = request
        request.timeout = timeouts.total
        request.connectTimeout = timeouts.connect
        let clock = ContinuousClock()
        let start = clock.now
        var retries = 0
        let kind = Self.metricKind(of: request.url)
        while true {
            stats.count(provider, "request")
            let began = clock.now
            do {
                let response = try await attempt(request, accepting: accepting, deadline: clock.now + timeouts.firstByte)
                if let kind { URAMetrics().providerRequest(provider: provider, kind: kind, latency: clock.now - began, failed: false) }
                return response
            } catch let failure as AttemptFailure {
                stats.count(provider, failure.error.kind)
                if let kind { URAMetrics().providerRequest(provider: provider, kind: kind, latency: clock.now - began, failed: true) }
                retries += 1
                guard failure.isRetryable,
                      let wait = retry.delay(beforeRetry: retries, elapsed: clock.now - start, retryAfter: failure.retryAfter, jitter: Double.random(in: 0...1))
                else { throw failure.error }
                logger.warning("provider request failed; retrying", metadata: [
                    "provider": "\(provider)", "error": "\(failure.error)", "wait_ms": "\(Int(wait / .milliseconds(1)))",
                ])
                stats.count(provider, "retry")
                try await Task.sleep(for: wait)
            }
        }
    }

    /// Which role a request serves, for the metrics (nil for the OAuth token endpoint).
    static func metricKind(of url: URL) -> URAMetrics.ProviderKind? {
        let path = url.path
        if path.hasSuffix("chat/completions") { return .language }
        if path.hasSuffix("audio/transcriptions") || path.hasSuffix("speech:recognize") { return .speechToText }
        if path.hasSuffix("audio/speech") || path.hasSuffix("text:synthesize") { return .textToSpeech }
        return nil
    }

    /// ``open(_:accepting:)`` and the whole body.
    public func fetch(_ request: HTTPRequest, accepting: [String]) async throws -> (head: HTTPResponseHead, body: Data) {
        let response = try await open(request, accepting: accepting)
        return (response.head, try await response.collect())
    }

    /// Counts a wire-format violation found in a successful answer and returns its error.
    public func malformed(_ reason: String) -> ProviderError {
        stats.count(provider, "malformed")
        return .malformedResponse(provider: provider, reason: reason)
    }

    private struct AttemptFailure: Error {
        var error: ProviderError
        var retryAfter: Duration?

        var isRetryable: Bool {
            switch error {
            case .http(_, let status, _): status == 429 || status >= 500
            case .connection, .firstByteTimeout, .timedOut: true
            default: false
            }
        }
    }

    private func attempt(_ request: HTTPRequest, accepting: [String], deadline: ContinuousClock.Instant) async throws -> ProviderResponse {
        let (head, body): (HTTPResponseHead, AsyncThrowingStream<Data, any Error>)
        do {
            (head, body) = try await Deadline.run(until: deadline, onTimeout: ProviderError.firstByteTimeout(provider: provider)) { [client] in
                try await client.stream(request)
            }
        } catch let error as ProviderError {
            throw AttemptFailure(error: error)
        } catch let error as HTTPClientError {
            throw AttemptFailure(error: map(error))
        }
        guard (200..<300).contains(head.status) else {
            var text = Data()
            // The error body is read best-effort, within a fresh first-byte time: its status
            // already says enough to act.
            do {
                text = try await Deadline.run(until: ContinuousClock.now + timeouts.firstByte, onTimeout: ProviderError.timedOut(provider: provider)) {
                    var collected = Data()
                    for try await piece in body where collected.count < 64 * 1024 { collected.append(piece) }
                    return collected
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {}
            throw AttemptFailure(
                error: .http(provider: provider, status: head.status, message: ErrorBody.message(from: text)),
                retryAfter: RetryPolicy.retryAfter(head.header("Retry-After")))
        }
        if let type = head.header("Content-Type")?.lowercased(), !accepting.contains(where: { type.hasPrefix($0) }) {
            throw AttemptFailure(error: .unexpectedContentType(provider: provider, contentType: type))
        }
        do {
            let relayed = try await BodyRelay.start(
                body, provider: provider, limit: maxResponseBytes, firstByteDeadline: deadline, map: map,
                failedAfterStart: { [stats, provider] error in stats.count(provider, (error as? ProviderError)?.kind ?? "other") })
            return ProviderResponse(head: head, body: relayed)
        } catch let error as ProviderError {
            throw AttemptFailure(error: error)
        }
    }

    /// Turns transport errors into ``ProviderError``; other errors pass unchanged.
    func map(_ error: any Error) -> any Error {
        guard let error = error as? HTTPClientError else { return error }
        return map(error)
    }

    private func map(_ error: HTTPClientError) -> ProviderError {
        switch error {
        case .timedOut: .timedOut(provider: provider)
        case .connectionFailed(_, let reason): .connection(provider: provider, reason: reason)
        case .transfer(_, _, let reason): .connection(provider: provider, reason: reason)
        case .shutDown: .connection(provider: provider, reason: "HTTP client is shut down")
        }
    }
}
