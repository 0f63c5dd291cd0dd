public import Audio
import Synchronization

/// The inbound jitter buffer of one call: RTP packets in, exactly one 20 ms PCM frame out per
/// tick.
///
/// Pull-driven: the receive thread calls ``insert(_:arrival:)`` as datagrams come, and the media
/// clock calls ``nextFrame()`` every 20 ms. Playout starts ``Configuration/window`` after the
/// first packet, so a packet may arrive up to that much behind its successors and still be
/// played in order. Payloads are decoded in sequence order (G.722 decoding is stateful), each
/// sized by its own payload: Asterisk forwards the caller's packetisation (10 to 120 ms, even a
/// single sample), and it may change within a call.
///
/// A packet is lost only when a later one is already here at its turn: it is concealed (spandsp
/// PLC at the codec's audio rate) for up to ``Configuration/maxConcealment``, and if it turns up
/// afterwards it is dropped and counted as late. When the buffer runs dry with nothing later
/// held, the sender is late or paused (silence suppression, hold, a replayed prompt): nothing is
/// skipped, the output conceals and then falls silent, and the next packet re-anchors playout
/// with a fresh window. Timestamps never decide what plays, so a phone whose timestamps jump
/// while its sequence runs on (captured on Asterisk 22: −56400 at once) plays on unharmed.
///
/// Survives what chan_rtp does: random initial sequence number and timestamp, sequence and
/// timestamp wrap-around (neither is used as an absolute value), and SSRC changes, where the
/// old stream's buffered packets are decoded and played before the new stream starts. A jump in
/// sequence numbers too large to be loss (``RTPStatistics/maxDropout`` ahead or
/// ``RTPStatistics/maxMisorder`` behind) is believed only when the next packet follows it.
///
/// Thread safety: all state sits behind one `Mutex`, so ``insert(_:arrival:)`` and
/// ``nextFrame()`` may be called from different threads. Neither blocks beyond decoding one
/// frame.
public final class JitterBuffer: Sendable {
    /// Tuning of a ``JitterBuffer``. Durations count in whole 20 ms frames (rounded up, at most
    /// a minute).
    public struct Configuration: Hashable, Sendable {
        /// Playout delay after the first packet, which is also the reorder window (60 ms).
        public var window: Duration
        /// Longest run of concealment before the output becomes silence (100 ms).
        public var maxConcealment: Duration
        /// Most audio held as undecoded packets, beyond what the longest packet of the stream
        /// exceeds a frame by; past it the oldest are discarded (120 ms). Bounds latency when the
        /// sender's clock runs faster than ours or after a burst.
        public var maxDepth: Duration

        /// Creates a configuration; the defaults suit chan_rtp on a LAN.
        public init(
            window: Duration = .milliseconds(60),
            maxConcealment: Duration = .milliseconds(100),
            maxDepth: Duration = .milliseconds(120)
        ) {
            self.window = window
            self.maxConcealment = maxConcealment
            self.maxDepth = maxDepth
        }
    }

    /// The format the buffer accepts (other payload types are counted as malformed).
    public let format: AudioFormat
    private let playout: Mutex<Playout>

    /// Creates an empty buffer with its own decoder for `format`.
    public init(format: AudioFormat, configuration: Configuration = Configuration()) {
        self.format = format
        playout = Mutex(Playout(format: format, configuration: configuration))
    }

    /// Adds a received packet.
    ///
    /// - Parameters:
    ///   - arrival: when the datagram was read, for the interarrival jitter statistic.
    public func insert(_ packet: RTPPacket, arrival: ContinuousClock.Instant) {
        packet.payload.withUnsafeBytes { payload in
            insert(RTPPacketView(packet, payload: payload), arrival: arrival)
        }
    }

    /// Adds a packet parsed in place, copying its payload into storage the buffer reuses (the
    /// receive path's way: no allocation per packet).
    public func insert(_ packet: RTPPacketView, arrival: ContinuousClock.Instant) {
        playout.withLock { $0.insert(packet, arrival: arrival) }
    }

    /// Counts a datagram the receive path dropped because it was not RTP.
    public func recordMalformed() {
        playout.withLock { $0.statistics.recordMalformed() }
    }

    /// The next 20 ms of audio: ``AudioFormat/samplesPerFrame`` samples at
    /// ``AudioFormat/audioSampleRate``, always, whether from packets, concealment or silence.
    ///
    /// The samples are written into an array the buffer reuses, so a caller that lets go of
    /// each frame before asking for the next costs no allocation; one that keeps frames gets
    /// copies (copy-on-write), never a frame changed under it.
    public func nextFrame() -> PCMChunk {
        playout.withLock { $0.nextFrame() }
    }

    /// A snapshot of the inbound statistics.
    public var statistics: RTPStatistics {
        playout.withLock { $0.statistics }
    }
}
