import Foundation

/// A WebSocket client on libwebsockets that stays connected: it reconnects forever with
/// ``Backoff``, pings the server and drops a silent one; or, with
/// ``WebSocketConfiguration/reconnects`` off, one session that ends with its connection.
///
/// Everything arrives in ``events``, in order: ``WebSocketEvent/connected``, whole messages
/// (fragments are joined), ``WebSocketEvent/disconnected(reason:)`` and
/// ``WebSocketEvent/reconnecting(attempt:delay:)``. The buffer is unbounded on purpose: the
/// network side never waits for the consumer.
///
/// The connection lives on a thread of its own. ``stop()`` closes it and ends ``events``.
///
/// ```swift
/// let client = WebSocketClient(configuration: .init(url: eventsURL, headers: [("Authorization", basic)]))
/// client.start()
/// for await event in client.events { ... }
/// ```
public final class WebSocketClient: Sendable {
    /// Connection reports and messages, in order. Finishes after ``stop()``.
    public let events: AsyncStream<WebSocketEvent>
    private let loop: LWSLoop

    public init(configuration: WebSocketConfiguration) {
        let (events, continuation) = AsyncStream<WebSocketEvent>.makeStream(bufferingPolicy: .unbounded)
        self.events = events
        loop = LWSLoop(configuration: configuration, continuation: continuation)
    }

    /// Starts connecting on a new thread. Call once.
    public func start(threadName: String = "ura-websocket") {
        loop.start(threadName: threadName)
    }

    /// Queues a TEXT message; it is sent when (and if) the connection is open.
    public func send(text: String) {
        loop.post(.send(Data(text.utf8), binary: false))
    }

    /// Queues a BINARY message (audio to a recogniser); sent when (and if) the connection is open.
    public func send(binary: Data) {
        loop.post(.send(binary, binary: true))
    }

    /// Closes the connection, stops reconnecting and waits for the thread to end.
    public func stop() async {
        loop.post(.stop)
        await loop.waitUntilFinished()
    }
}
