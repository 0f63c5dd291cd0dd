import NIOCore
import Synchronization

/// The TCP connections a server has accepted, and how many are open now.
final class ConnectionTally: Sendable {
    private let counts = Mutex((accepted: 0, open: 0))

    var accepted: Int { counts.withLock { $0.accepted } }
    var open: Int { counts.withLock { $0.open } }

    func opened() { counts.withLock { $0.accepted += 1; $0.open += 1 } }
    func closed() { counts.withLock { $0.open -= 1 } }
}

/// Tells a ``ConnectionTally`` about one connection from inside its pipeline: added once per
/// accepted connection, told when it closes (by either side).
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private let tally: ConnectionTally

    init(tally: ConnectionTally) { self.tally = tally }

    func handlerAdded(context: ChannelHandlerContext) { tally.opened() }

    func channelInactive(context: ChannelHandlerContext) {
        tally.closed()
        context.fireChannelInactive()
    }
}
