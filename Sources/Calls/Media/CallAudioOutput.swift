import Audio
import Media
import Synchronization

/// The way out for a call's audio: 20 ms frames are encoded and queued for the pacer.
///
/// Safe from any thread; the encoder (stateful for G.722) sits behind a lock.
public final class CallAudioOutput: Sendable {
    /// Rate of the PCM ``send(_:source:offset:)`` takes: the call format's audio rate.
    public let sampleRate: SampleRate
    private let stream: OutboundStream
    private let encoder: Mutex<any AudioEncoder>
    /// The line's codec.
    public let format: AudioFormat

    init(format: AudioFormat, stream: OutboundStream) throws(CodecError) {
        self.format = format
        sampleRate = format.audioSampleRate
        self.stream = stream
        encoder = Mutex(try format.makeEncoder())
    }

    /// Queues one frame (``SampleRate/samplesPerFrame`` samples; shorter frames are padded).
    ///
    /// - Parameters:
    ///   - source: identifies the utterance the samples belong to, for ``playedCursor(for:)``.
    ///   - offset: index of the frame's first sample within that utterance.
    /// - Returns: false when the queue is full (the frame is dropped and counted by the stream).
    @discardableResult
    public func send(_ samples: [Int16], source: UInt64, offset: Int64) -> Bool {
        let size = sampleRate.samplesPerFrame
        let count = min(samples.count, size)
        let provenance = AudioProvenance(sourceID: source, sampleOffset: offset, sampleCount: count)
        // The stream lends a spare payload array and the encoder writes straight into it.
        return encoder.withLock { encoder in
            stream.enqueue(payloadBytes: format.payloadByteCount(forSampleCount: size), provenance: provenance) { payload in
                samples.withUnsafeBufferPointer { samples in
                    guard samples.count != size else { return encoder.encode(samples, into: payload) }
                    return withUnsafeTemporaryAllocation(of: Int16.self, capacity: size) { frame in
                        for index in 0..<count { frame[index] = samples[index] }
                        for index in count..<size { frame[index] = 0 }
                        return encoder.encode(UnsafeBufferPointer(frame), into: payload)
                    }
                }
            }
        }
    }

    /// Drops every queued frame: the next tick sends none of them (barge-in).
    @discardableResult
    public func flush() -> Int { stream.flush() }

    /// Samples of `source` sent so far (the end of the last frame sent), or nil if none were.
    public func playedCursor(for source: UInt64) -> Int64? { stream.playedCursor(for: source) }

    /// When the first frame of `source` was handed to the socket, or nil if none was.
    public func playbackStarted(for source: UInt64) -> ContinuousClock.Instant? {
        guard let sentAt = stream.firstSentTime(for: source) else { return nil }
        let age = MonotonicClock.now() &- sentAt
        return .now - .nanoseconds(Int64(clamping: age))
    }

    /// Frames waiting to be sent.
    public var queuedFrames: Int { stream.queuedFrames }

    /// Returns once fewer than `limit` frames are queued, or when the task is cancelled.
    public func waitForRoom(queuedBelow limit: Int) async { await stream.waitForRoom(queuedBelow: limit) }

    /// Frames the queue can still take.
    public var freeCapacity: Int { stream.freeCapacity }
}
