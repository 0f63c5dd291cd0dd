/// One 20 ms frame waiting in an ``OutboundStream``: encoded payload plus what audio it is.
public struct OutboundFrame: Sendable, Equatable {
    /// The encoded RTP payload (160 bytes of µ-law for 20 ms at 8 kHz, for example).
    public var payload: [UInt8]
    /// Which audio the payload carries.
    public var provenance: AudioProvenance

    /// A frame of `payload` carrying the audio `provenance` names.
    public init(payload: [UInt8], provenance: AudioProvenance) {
        self.payload = payload
        self.provenance = provenance
    }

    /// What a queue slot holds once its frame was taken out.
    static let taken = OutboundFrame(payload: [], provenance: AudioProvenance(sourceID: 0, sampleOffset: 0, sampleCount: 0))
}
