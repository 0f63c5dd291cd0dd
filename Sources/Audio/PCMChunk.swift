/// A run of mono 16-bit linear PCM samples at a known sample rate.
///
/// The unit of audio exchanged between the media plane (decoded RTP, audio to send) and the
/// voice pipeline. It is a plain value: copying it is cheap (the samples are copy-on-write) and
/// it can cross threads and actors freely.
public struct PCMChunk: Hashable, Sendable {
    /// The samples, native-endian signed 16-bit, mono.
    public var samples: [Int16]
    /// The rate the samples were taken at.
    public var sampleRate: SampleRate

    /// Creates a chunk holding `samples` taken at `sampleRate`.
    public init(samples: [Int16], sampleRate: SampleRate) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// A chunk of `count` zero samples.
    public static func silence(count: Int, sampleRate: SampleRate) -> PCMChunk {
        PCMChunk(samples: [Int16](repeating: 0, count: count), sampleRate: sampleRate)
    }

    /// One 20 ms frame of silence at `sampleRate`.
    public static func silentFrame(sampleRate: SampleRate) -> PCMChunk {
        silence(count: sampleRate.samplesPerFrame, sampleRate: sampleRate)
    }

    /// How long the chunk plays.
    public var duration: Duration { sampleRate.duration(ofSamples: samples.count) }
}
