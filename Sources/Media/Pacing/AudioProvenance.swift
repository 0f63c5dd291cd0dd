/// Which audio an outbound frame carries: the source it came from and the sample range within it.
///
/// The pipeline tags every frame it queues (a source is, say, one synthesized reply), and the
/// pacer reports the provenance of every frame it sends, so the pipeline knows exactly what the
/// caller heard when a barge-in cuts the reply (and can trim its history to that).
public struct AudioProvenance: Sendable, Hashable {
    /// The source's id, chosen by the pipeline.
    public var sourceID: UInt64
    /// First sample of the frame within the source, in the source's own sample units.
    public var sampleOffset: Int64
    /// Number of source samples the frame carries.
    public var sampleCount: Int

    /// Tags a frame as samples `sampleOffset ..< sampleOffset + sampleCount` of source `sourceID`.
    public init(sourceID: UInt64, sampleOffset: Int64, sampleCount: Int) {
        self.sourceID = sourceID
        self.sampleOffset = sampleOffset
        self.sampleCount = sampleCount
    }

    /// One past the last sample carried.
    public var endSample: Int64 { sampleOffset + Int64(sampleCount) }
}
