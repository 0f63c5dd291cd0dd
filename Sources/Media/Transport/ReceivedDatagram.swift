/// One datagram from the expected remote, lent to a ``MediaReactor`` handler.
///
/// - Important: ``bytes`` points into the reactor's receive buffer and is valid only during the
///   handler call; copy what must outlive it.
public struct ReceivedDatagram {
    /// The datagram's payload (an RTP packet, unparsed).
    public let bytes: UnsafeRawBufferPointer
    /// CLOCK_MONOTONIC nanoseconds when the reactor read the batch holding this datagram
    /// (arrival time for interarrival jitter).
    public let arrivalNanoseconds: UInt64
}
