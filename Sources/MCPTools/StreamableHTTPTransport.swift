import Foundation
import HTTP
import Logging
import MCP

/// MCP's streamable HTTP transport on ura's own HTTP client (libcurl): each message is a POST
/// whose answer is JSON or a stream of Server-Sent Events; the session id the server gives at
/// initialisation goes with every later request; a GET stream, when the server offers one,
/// carries what the server says unasked (a changed tool list); DELETE ends the session.
///
/// The SDK's HTTP client transport uses URLSession, which on Linux cannot stream a response;
/// this one reads events as they come, so a tool's answer arrives when the server sends it.
/// A session the server no longer knows (404) ends the message stream: the owner reconnects.
public actor StreamableHTTPTransport: EndingTransport {
    public nonisolated let logger: Logger
    let url: URL
    let headers: [(name: String, value: String)]
    let http: HTTPClient
    /// The longest one exchange may take: the longest tool call allowed, and some.
    let requestTimeout: Duration
    private var sessionID: String?
    private var protocolVersion: String?
    private var listener: Task<Void, Never>?
    private var connected = false
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    public nonisolated let ended: AsyncStream<Void>
    private let endedContinuation: AsyncStream<Void>.Continuation

    /// The most one answer may hold.
    static let maximumAnswerBytes = 4 * 1024 * 1024

    public init(url: URL, headers: [(name: String, value: String)], http: HTTPClient, requestTimeout: Duration = .seconds(70), logger: Logger) {
        self.url = url
        self.headers = headers
        self.http = http
        self.requestTimeout = requestTimeout
        self.logger = logger
        (messages, continuation) = AsyncThrowingStream.makeStream()
        (ended, endedContinuation) = AsyncStream.makeStream()
    }

    public func connect() async throws { connected = true }

    public func disconnect() async {
        guard connected else { return }
        connected = false
        listener?.cancel()
        listener = nil
        if let sessionID {
            // Telling the server the session is over is a courtesy: it forgets idle ones anyway.
            _ = try? await http.execute(request(.delete, sessionID: sessionID, timeout: .seconds(2)))
        }
        sessionID = nil
        end()
    }

    private func end() {
        continuation.finish(throwing: MCPError.connectionClosed)
        endedContinuation.finish()
    }

    public func send(_ data: Data) async throws {
        guard connected else { throw MCPError.connectionClosed }
        var request = request(.post, sessionID: sessionID, timeout: requestTimeout)
        request.body = data
        request.headers.append((name: "Content-Type", value: "application/json"))
        request.headers.append((name: "Accept", value: "application/json, text/event-stream"))
        let head: HTTP.HTTPResponseHead, body: AsyncThrowingStream<Data, any Error>
        do {
            (head, body) = try await http.stream(request)
        } catch let error as HTTPClientError {
            // The server is away: its owner lists the tools again when it is back. A request that
            // merely timed out (one slow tool) leaves the session to the others.
            if case .connectionFailed = error { end() }
            throw MCPError.transportError(error)
        }
        if let id = head.header("Mcp-Session-Id"), sessionID == nil {
            sessionID = id
        }
        defer { startListeningIfReady(after: data) }
        switch head.status {
        case 202:
            try await discard(body)
            return
        case 200..<300: break
        case 404 where sessionID != nil:
            // The server forgot the session (it restarted): start over.
            end()
            throw MCPError.internalError("the MCP server no longer knows this session")
        default:
            try? await discard(body)
            throw MCPError.internalError("the MCP server answered HTTP \(head.status)")
        }
        if head.header("Content-Type")?.lowercased().hasPrefix("text/event-stream") == true {
            // An answer's stream is not resumed: its request is retried whole, or fails.
            var unused: String?
            try await relayEvents(body, lastEventID: &unused)
        } else {
            var answer = Data()
            for try await piece in body {
                answer += piece
                guard answer.count <= Self.maximumAnswerBytes else { throw MCPError.internalError("the MCP server's answer is too large") }
            }
            if !answer.isEmpty { deliver(answer) }
        }
    }

    public nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }

    private func request(_ method: HTTP.HTTPRequest.Method, sessionID: String?, timeout: Duration) -> HTTP.HTTPRequest {
        var headers = headers
        if let sessionID { headers.append((name: "Mcp-Session-Id", value: sessionID)) }
        if let protocolVersion { headers.append((name: "MCP-Protocol-Version", value: protocolVersion)) }
        return HTTP.HTTPRequest(method: method, url: url, headers: headers, timeout: timeout)
    }

    /// Reads a body ura does not use, at most 64 KiB of it, so the transfer ends.
    private func discard(_ body: AsyncThrowingStream<Data, any Error>) async throws {
        var read = 0
        for try await piece in body {
            read += piece.count
            if read > 64 * 1024 { break }
        }
    }

    /// Delivers the messages of an event stream; `lastEventID` follows the ids the server gives
    /// its events, for resuming the stream where it broke.
    private func relayEvents(_ body: AsyncThrowingStream<Data, any Error>, lastEventID: inout String?) async throws {
        var parser = SSEParser()
        // Bytes since the last event: an endless line must not grow without bound.
        var pending = 0
        for try await piece in body {
            pending += piece.count
            guard pending <= Self.maximumAnswerBytes else { throw MCPError.internalError("an MCP server event is larger than 4 MiB") }
            let events = parser.feed(piece)
            if !events.isEmpty { pending = 0 }
            relay(events, lastEventID: &lastEventID)
        }
        relay(parser.finish(), lastEventID: &lastEventID)
    }

    private func relay(_ events: [SSEParser.Event], lastEventID: inout String?) {
        for event in events {
            // An id is sent back as a header: a hostile one cannot be long (SSE lines hold no CR or LF).
            if let id = event.id, id.utf8.count <= 256, !id.contains("\0") { lastEventID = id }
            if event.type == "message", !event.data.isEmpty { deliver(Data(event.data.utf8)) }
        }
    }

    private func deliver(_ message: Data) {
        // Later requests must name the protocol version the server chose.
        if protocolVersion == nil, let version = Self.negotiatedVersion(in: message) { protocolVersion = version }
        continuation.yield(message)
    }

    static func negotiatedVersion(in message: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
              let result = object["result"] as? [String: Any], result["serverInfo"] != nil
        else { return nil }
        return result["protocolVersion"] as? String
    }

    /// Once the client has said `notifications/initialized`, the server may talk unasked (a
    /// server without sessions too: the stream is then simply not tied to one).
    private func startListeningIfReady(after sent: Data) {
        guard listener == nil,
              let message = try? JSONSerialization.jsonObject(with: sent) as? [String: Any],
              message["method"] as? String == "notifications/initialized"
        else { return }
        listener = Task { await listen() }
    }

    /// Keeps the GET stream open while connected; a server without one (405) is not asked again.
    /// A stream that broke is resumed with `Last-Event-ID` when the server numbered its events,
    /// so a server that keeps them can replay what was missed (a changed tool list).
    private func listen() async {
        var wait = Duration.milliseconds(500)
        var lastEventID: String?
        while connected, !Task.isCancelled {
            var request = request(.get, sessionID: sessionID, timeout: .seconds(24 * 3600))
            request.headers.append((name: "Accept", value: "text/event-stream"))
            if let lastEventID { request.headers.append((name: "Last-Event-ID", value: lastEventID)) }
            do {
                let (head, body) = try await http.stream(request)
                if head.status == 405 { return }
                if head.status == 404 {
                    // A forgotten session starts over; without one, the server has no stream.
                    if sessionID != nil { end() }
                    return
                }
                if (200..<300).contains(head.status) {
                    let opened = ContinuousClock.now
                    try await relayEvents(body, lastEventID: &lastEventID)
                    // A stream that stayed open a while was healthy; one closed at once is not.
                    if ContinuousClock.now - opened > .seconds(10) { wait = .milliseconds(500) }
                } else {
                    try? await discard(body)
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("the MCP server's event stream ended", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: wait)
            wait = min(wait * 2, .seconds(30))
        }
    }
}
