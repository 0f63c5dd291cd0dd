import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// What a server does with a WebSocket upgrade request.
public enum WebSocketUpgradeDecision: Sendable {
    /// Completes the handshake (with `headers` added to the 101) and gives the connection's frames,
    /// pings and CLOSE included, to `handler`; the connection closes when `handler` returns.
    case accept(headers: HTTPHeaders, handler: @Sendable (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async -> Void)
    /// Refuses the upgrade with this answer (a 401, a 400…), then closes the connection.
    /// (NIO's decoder stops at an upgrade request's head, so the connection cannot go on as HTTP.)
    case refuse(HTTPResponse, body: ByteBuffer = ByteBuffer())
}

/// A hummingbird child channel that serves HTTP/1.1 and upgrades the requests a `decide`
/// closure accepts to WebSocket, handing over raw frames.
///
/// hummingbird-websocket's own channel answers pings itself, hides CLOSE codes and answers every
/// refused upgrade with a 307 redirect or a 400; servers that stand in for Asterisk or for a
/// misbehaving peer must do none of that (a silent peer, a 401 on bad credentials, a CLOSE 1011
/// to a slow reader), so this one gives the frames to the handler and writes the refusal the
/// `decide` closure chose. Requests that do not ask for an upgrade go to the HTTP responder.
/// NIO does the handshake (key check, `Sec-WebSocket-Accept`) and the framing.
public struct WebSocketUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    /// How a connection turned out after its first request.
    public enum Negotiated: Sendable {
        case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, @Sendable (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async -> Void)
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPResponse, ByteBuffer)
    }

    public struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        public let channel: any Channel
    }

    public let responder: HTTPChannelHandler.Responder
    private let decide: @Sendable (HTTPRequestHead, any Channel) async -> WebSocketUpgradeDecision
    private let additionalChannelHandlers: @Sendable () -> [any RemovableChannelHandler]
    private let maxFrameSize: Int

    /// A server builder for `Application(server:)`.
    /// - Parameters:
    ///   - maxFrameSize: the largest frame (and, after reassembly, message) accepted from a client.
    ///   - additionalChannelHandlers: added to each connection's pipeline before HTTP is handled.
    ///   - decide: called for each request that asks for an upgrade; may suspend (a hung handshake).
    public static func builder(
        maxFrameSize: Int = 1 << 20,
        additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] },
        decide: @escaping @Sendable (HTTPRequestHead, any Channel) async -> WebSocketUpgradeDecision
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            WebSocketUpgradeChannel(
                responder: responder, decide: decide, additionalChannelHandlers: additionalChannelHandlers, maxFrameSize: maxFrameSize)
        }
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // The handler chosen when the upgrade is accepted, read once the pipeline is switched.
            let accepted = NIOLoopBoundBox<(@Sendable (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async -> Void)?>(nil, eventLoop: channel.eventLoop)
            let refusal = NIOLoopBoundBox<(HTTPResponse, ByteBuffer)?>(nil, eventLoop: channel.eventLoop)
            let decide = self.decide
            let maxFrameSize = self.maxFrameSize
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: maxFrameSize,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        switch await decide(head, channel) {
                        case .refuse(let response, let body):
                            try await channel.eventLoop.submit { refusal.value = (response, body) }.get()
                            return nil
                        case .accept(let headers, let handler):
                            try await channel.eventLoop.submit { accepted.value = handler }.get()
                            return headers
                        }
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: maxFrameSize))
                        let frames = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        guard let handler = accepted.value else { throw ChannelError.inappropriateOperationForState }
                        return .webSocket(frames, handler)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: .init(upgraders: [upgrader], notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        if let (response, body) = refusal.value {
                            return .refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel), response, body)
                        }
                        try channel.pipeline.syncOperations.addHandlers(additionalChannelHandlers())
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
                        return .http(try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)))
                    }
                }))
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            try channel.pipeline.syncOperations.addHandler(CloseOnUnreadableRequest())
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        guard let negotiated = try? await value.negotiated.get() else { return }
        switch negotiated {
        case .http(let channel): await handleHTTP(asyncChannel: channel, logger: logger)
        case .refused(let channel, var response, let body):
            response.headerFields[.connection] = "close"
            response.headerFields[.contentLength] = String(body.readableBytes)
            try? await channel.executeThenClose { _, outbound in
                try await outbound.write(contentsOf: [.head(response), .body(body), .end(nil)])
            }
        case .webSocket(let frames, let handler):
            await handler(frames)
            try? await frames.channel.close()
        }
    }
}

/// Closes a connection whose bytes are not HTTP: NIO's decoder reports the error and stops, and
/// with no request head the negotiation would wait for ever, holding the connection open.
private final class CloseOnUnreadableRequest: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { context.close(promise: nil) }
        context.fireErrorCaught(error)
    }
}
