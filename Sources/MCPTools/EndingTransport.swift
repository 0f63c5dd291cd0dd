import MCP

/// A transport that tells its owner when the server is gone.
///
/// The SDK's client keeps reading a message stream that has ended (spinning on it) and leaves
/// requests waiting; the owner of the connection must hear of the end, disconnect the client
/// and start again.
public protocol EndingTransport: Transport {
    /// Finishes when the server can no longer be reached through this transport.
    nonisolated var ended: AsyncStream<Void> { get }
}
