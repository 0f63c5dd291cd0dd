import Audio

/// What a bot does with a call's audio, frame by frame.
///
/// ``inbound(_:output:)`` runs on the media clock thread every 20 ms with the next frame of
/// caller audio (jitter-buffered and decoded, concealed where packets were lost). It must return
/// quickly: the same thread serves every call. Work that takes time (recognition, synthesis)
/// belongs on tasks that the handler only hands frames to.
public protocol CallAudioHandler: Sendable {
    func inbound(_ frame: PCMChunk, output: CallAudioOutput)
}
