import Foundation
import HTTP
import LoopbackHTTPServer
import Providers
import Synchronization
import Voice

typealias Response = LoopbackHTTPServer.Response

/// Retrying with a budget no loaded test machine runs out of: these tests are about which
/// failures are retried, not about time.
func patientRetry(_ maxRetries: Int) -> RetryPolicy {
    RetryPolicy(maxRetries: maxRetries, baseDelay: .milliseconds(5), budget: .seconds(120))
}

/// A local server that answers with scripted responses in order (the last one repeats).
final class FakeServer: Sendable {
    let server: LoopbackHTTPServer
    let client = HTTPClient(name: "providers-test")
    let stats = ProviderStats()

    init(_ responses: [Response]) async throws {
        let queue = Mutex(responses)
        server = try await LoopbackHTTPServer { _ in
            queue.withLock { queue in queue.count > 1 ? queue.removeFirst() : queue[0] }
        }
    }

    init(handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> Response) async throws {
        server = try await LoopbackHTTPServer(handler: handler)
    }

    var requests: [LoopbackHTTPServer.Request] { server.requests }
    var v1: URL { server.baseURL.appendingPathComponent("v1") }

    func endpoint(
        _ provider: String = "openai", retry: RetryPolicy = .never, firstByte: Duration = .seconds(30), maxBytes: Int = 1 << 20
    ) -> ProviderEndpoint {
        ProviderEndpoint(
            provider: provider, client: client, timeouts: ProviderTimeouts(connect: .seconds(10), firstByte: firstByte, total: .seconds(60)),
            retry: retry, maxResponseBytes: maxBytes, stats: stats)
    }

    var access: OpenAIServerAccess { OpenAIServerAccess(baseURL: v1, apiKey: nil) }

    func close() {
        client.shutdown()
        server.shutdown()
    }
}

extension Response {
    /// An event-stream answer sent in one piece.
    static func sse(_ text: String) -> Response {
        Response(status: 200, headers: [("Content-Type", "text/event-stream")], body: Data(text.utf8))
    }

    /// An event-stream answer sent as chunks, one per element.
    static func sseChunks(_ pieces: [String], pause: Duration = .zero) -> Response {
        Response(status: 200, headers: [("Content-Type", "text/event-stream")], fault: .chunked(pieces: pieces.map { Data($0.utf8) }, pause: pause))
    }
}

/// Collects a throwing stream into an array, or the error that ended it.
func collect<Element>(_ stream: AsyncThrowingStream<Element, any Error>) async -> (elements: [Element], error: (any Error)?) {
    var elements: [Element] = []
    do {
        for try await element in stream { elements.append(element) }
        return (elements, nil)
    } catch {
        return (elements, error)
    }
}

/// Little-endian bytes of `samples`.
func littleEndianBytes(_ samples: [Int16]) -> Data {
    samples.map { UInt16(bitPattern: $0).littleEndian }.withUnsafeBytes { Data($0) }
}

/// Runs `transcribe` on `frames` copies of `frame` (finishing the audio when `finishAudio`, else
/// leaving the returned feed open) and collects what the recogniser yields.
func transcribing(_ recognizer: some SpeechRecognizer, frame: [Int16], frames: Int, finishAudio: Bool, hints: RecognitionHints)
    -> (Task<[Transcript], any Error>, AsyncStream<[Int16]>.Continuation)
{
    let (audio, feed) = AsyncStream<[Int16]>.makeStream()
    for _ in 0..<frames { feed.yield(frame) }
    if finishAudio { feed.finish() }
    let task = Task {
        var heard: [Transcript] = []
        for try await transcript in recognizer.transcribe(audio, hints: hints) { heard.append(transcript) }
        return heard
    }
    return (task, feed)
}
