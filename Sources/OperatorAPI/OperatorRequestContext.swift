import Hummingbird

/// The request context of the operator API: hummingbird's basic one plus the peer's IP address,
/// which the loopback-only check needs and which no header can fake.
public struct OperatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The IP address of the connection's TCP peer as the kernel reports it (`127.0.0.1`,
    /// `::1`, `::ffff:127.0.0.1` on a dual-stack socket); nil when it has none.
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
