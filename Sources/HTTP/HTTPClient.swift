import Foundation

/// An HTTP/1.1 client on libcurl whose transfers all run on one dedicated thread.
///
/// Use one client per remote service (ARI, each provider) so their connection pools stay apart.
/// Requests are cancellable: cancelling the calling task aborts the transfer at once and throws
/// `CancellationError`.
///
/// ```swift
/// let client = HTTPClient(name: "ari-http")
/// defer { client.shutdown() }
/// let response = try await client.execute(HTTPRequest(method: .get, url: url))
/// ```
///
/// - Important: call ``shutdown()`` when done; it ends the thread and fails what is in flight
///   with ``HTTPClientError/shutDown``.
public final class HTTPClient: Sendable {
    private let loop: CurlLoop

    /// Starts the client's thread.
    /// - Parameter name: the thread's name, shown by debuggers and `top -H`.
    public init(name: String = "ura-http") {
        loop = CurlLoop(name: name)
    }

    /// Sends a request and collects the whole response.
    /// - Throws: ``HTTPClientError`` when no response arrives; `CancellationError` when the task is cancelled.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = loop.makeID()
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.post(.start(Transfer(id: id, request: request, cancellation: cancellation, delivery: .buffered(continuation))))
            }
        } onCancel: {
            cancellation.set()
            loop.post(.cancel(id))
        }
    }

    /// Sends a request and returns as soon as the headers arrive, with the body as a stream.
    ///
    /// For Server-Sent Events and chunked audio. Ending the iteration early, or cancelling the
    /// task, aborts the transfer.
    /// - Throws: ``HTTPClientError`` when no response head arrives.
    public func stream(_ request: HTTPRequest) async throws -> (head: HTTPResponseHead, body: AsyncThrowingStream<Data, any Error>) {
        let id = loop.makeID()
        let cancellation = CancellationFlag()
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        bodyContinuation.onTermination = { [loop] reason in
            guard case .cancelled = reason else { return }
            cancellation.set()
            loop.post(.cancel(id))
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.post(.start(Transfer(
                    id: id, request: request, cancellation: cancellation, delivery: .streaming(head: continuation, body: bodyContinuation))))
            }
        } onCancel: {
            cancellation.set()
            loop.post(.cancel(id))
        }
        return (head, body)
    }

    /// Stops the thread; requests in flight fail with ``HTTPClientError/shutDown``. Idempotent.
    public func shutdown() {
        loop.post(.stop)
    }
}
