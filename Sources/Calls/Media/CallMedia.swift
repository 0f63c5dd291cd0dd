import Audio
import Foundation
import Logging
import Media
import Recording
import Synchronization

/// One call's media: its UDP socket, inbound jitter buffer, outbound stream and clock handler.
///
/// Lifecycle: ``open(engine:format:jitterWindow:)`` leases a port before ura tells Asterisk where
/// to send RTP; ``connect(remote:handler:)`` starts the flow once Asterisk has said where it
/// sends from (`UNICASTRTP_LOCAL_ADDRESS:PORT`); ``close()`` stops everything and frees the port.
/// Packets from any other source are dropped by the socket and counted.
public final class CallMedia: Sendable {
    public let socket: MediaSocket
    public let format: AudioFormat
    public let output: CallAudioOutput
    private let engine: MediaEngine
    private let jitter: JitterBuffer
    private let stream: OutboundStream
    private let closed = Atomic(false)
    /// Set once when the call is recorded; read by the media thread each tick.
    private let recording = RecordingSlot()

    /// Leases a port and prepares the codecs.
    /// - Throws: `TransportError.portsExhausted` when every port is in use (refuse the call);
    ///   `CodecError` for a format ura cannot send.
    public static func open(engine: MediaEngine, format: AudioFormat, jitterWindow: Duration) throws -> CallMedia {
        let socket = try MediaSocket.open(bindAddress: engine.bindAddress, pool: engine.ports)
        do {
            return try CallMedia(engine: engine, socket: socket, format: format, jitterWindow: jitterWindow)
        } catch {
            socket.close()
            throw error
        }
    }

    private init(engine: MediaEngine, socket: MediaSocket, format: AudioFormat, jitterWindow: Duration) throws {
        self.engine = engine
        self.socket = socket
        self.format = format
        jitter = JitterBuffer(format: format, configuration: .init(window: jitterWindow))
        let recording = recording
        let stream = OutboundStream(
            configuration: .init(payloadType: format.payloadType, clockTicksPerFrame: UInt32(format.timestampStepPerFrame)),
            sink: { [socket] packet in
                recording.current?.sent(packet.payload)
                CallMedia.send(packet, on: socket)
            })
        self.stream = stream
        output = try CallAudioOutput(format: format, stream: stream)
    }

    /// Starts receiving from and sending to `remote`, feeding caller audio to `handler`.
    public func connect(remote: SocketAddress, handler: any CallAudioHandler) throws {
        try socket.setRemote(remote)
        try engine.reactor.register(socket) { [jitter] datagram in
            do {
                jitter.insert(try RTPPacketView(parsing: datagram.bytes), arrival: .now)
            } catch {
                jitter.recordMalformed()
            }
        }
        // The call's inbound work runs in its own pacer slot, just before its packet leaves.
        stream.setFeeder { [jitter, output, recording] _ in
            let frame = jitter.nextFrame()
            recording.current?.caller(frame.samples)
            handler.inbound(frame, output: output)
        }
        engine.pacer.add(stream)
    }

    /// From now on, hands each tick's caller frame and each payload sent to `tap`.
    public func record(into tap: RecordingTap) {
        recording.fill(with: tap)
    }

    /// Inbound RTP statistics (received, lost, late, jitter) so far.
    public var statistics: RTPStatistics { jitter.statistics }

    /// Stops the flow and frees the port; idempotent.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await engine.pacer.remove(stream)
        stream.setFeeder(nil)
        socket.close()
    }

    private static func send(_ packet: OutboundPacket, on socket: MediaSocket) {
        let rtp = RTPPacket(
            payloadType: packet.payloadType, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp,
            ssrc: packet.ssrc, payload: packet.payload, marker: packet.marker)
        withUnsafeTemporaryAllocation(byteCount: rtp.serializedCount, alignment: 1) { buffer in
            let count = rtp.serialize(into: buffer)
            _ = socket.send(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
