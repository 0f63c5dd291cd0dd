/// Distribution of send-time errors (actual send time minus the ideal tick deadline).
///
/// Fixed 10 µs buckets up to 20 ms plus an overflow bucket: recording is one array increment,
/// percentiles are exact to a bucket, and memory does not grow with the packet count.
public struct SendErrorHistogram: Sendable, Equatable {
    /// Width of one bucket in nanoseconds.
    public static let bucketWidth: UInt64 = 10_000
    private static let bucketCount = 2_000

    private var buckets = [UInt64](repeating: 0, count: bucketCount + 1)
    /// Samples recorded.
    public private(set) var count: UInt64 = 0
    /// Largest error recorded, in nanoseconds.
    public private(set) var maximum: UInt64 = 0

    /// An empty histogram.
    public init() {}

    /// Records one error (`sendTime` − `deadline`, 0 when sent before the deadline).
    public mutating func record(sendTime: UInt64, deadline: UInt64) {
        record(error: sendTime > deadline ? sendTime - deadline : 0)
    }

    /// Records one error in nanoseconds.
    public mutating func record(error: UInt64) {
        buckets[min(Int(error / Self.bucketWidth), Self.bucketCount)] += 1
        count += 1
        maximum = max(maximum, error)
    }

    /// What was recorded after `earlier`, a snapshot of this same histogram taken before
    /// (the last minute of a long run, say). Its ``maximum`` is the upper edge of its highest
    /// bucket, or the overall maximum if the window reached the overflow bucket.
    public func since(_ earlier: SendErrorHistogram) -> SendErrorHistogram {
        var window = SendErrorHistogram()
        for index in buckets.indices {
            window.buckets[index] = buckets[index] &- min(earlier.buckets[index], buckets[index])
        }
        window.count = window.buckets.reduce(0, +)
        if let top = window.buckets.lastIndex(where: { $0 > 0 }) {
            window.maximum = top == Self.bucketCount ? maximum : min(UInt64(top + 1) * Self.bucketWidth, maximum)
        }
        return window
    }

    /// Samples whose error was more than `nanoseconds` (to the bucket: the threshold's own bucket
    /// counts as not above it).
    public func count(above nanoseconds: UInt64) -> UInt64 {
        let first = min(Int(nanoseconds / Self.bucketWidth) + 1, Self.bucketCount)
        return buckets[first...].reduce(0, +)
    }

    /// The error below which a `fraction` (0...1) of samples fall, in nanoseconds (upper edge of
    /// its bucket, capped at ``maximum``; ``maximum`` itself when it falls beyond 20 ms); 0 when
    /// empty.
    public func percentile(_ fraction: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, UInt64((Double(count) * min(max(fraction, 0), 1)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in buckets.enumerated() {
            seen += bucketCount
            if seen >= rank {
                return index == Self.bucketCount ? maximum : min(UInt64(index + 1) * Self.bucketWidth, maximum)
            }
        }
        return maximum
    }
}
