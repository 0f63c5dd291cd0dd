import Foundation

/// Where a ``WebSocketClient`` connects and how it watches the connection.
public struct WebSocketConfiguration: Sendable {
    /// `ws://` or `wss://` URL, query included.
    public var url: URL
    /// Extra handshake headers, e.g. `Authorization`. Their values are never logged.
    public var headers: [(name: String, value: String)]
    /// `Sec-WebSocket-Protocol` to request, if any.
    public var subprotocol: String?
    /// How often the client pings the server.
    public var pingInterval: Duration
    /// A connection that receives nothing (no message, no pong) for this long is dropped.
    public var idleTimeout: Duration
    /// Deadline for TCP connect plus the WebSocket handshake.
    public var handshakeTimeout: Duration
    /// Delays between reconnect attempts.
    public var backoff: Backoff
    /// Whether a lost connection is made again. A session (one utterance to a recogniser) is not:
    /// its end is reported and ``WebSocketClient/events`` finishes.
    public var reconnects: Bool
    /// PEM file of the certificate authorities a `wss://` server's certificate must chain to, in
    /// place of the system's (a private deployment's own CA); nil trusts the system's.
    public var caFile: String?
    /// The largest message accepted; a server that sends more is disconnected (it would
    /// otherwise grow ura's memory without bound).
    public var maximumMessageBytes: Int

    public init(
        url: URL, headers: [(name: String, value: String)] = [], subprotocol: String? = nil,
        pingInterval: Duration = .seconds(2), idleTimeout: Duration = .seconds(6),
        handshakeTimeout: Duration = .seconds(5), backoff: Backoff = Backoff(), reconnects: Bool = true, caFile: String? = nil,
        maximumMessageBytes: Int = 16 << 20
    ) {
        self.url = url
        self.headers = headers
        self.subprotocol = subprotocol
        self.pingInterval = pingInterval
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.backoff = backoff
        self.reconnects = reconnects
        self.caFile = caFile
        self.maximumMessageBytes = maximumMessageBytes
    }
}

/// What a ``WebSocketClient`` reports, in order.
public enum WebSocketEvent: Sendable, Equatable {
    /// The handshake completed; messages follow.
    case connected
    /// One whole TEXT message (fragments already joined), as UTF-8 bytes.
    case text(Data)
    /// One whole BINARY message.
    case binary(Data)
    /// The connection ended or could not be made; `reason` includes the server's close code
    /// and words when it closed with some ("server closed with 1011: …").
    case disconnected(reason: String)
    /// The next attempt starts after `delay`.
    case reconnecting(attempt: Int, delay: Duration)
}
