import Audio
import Synchronization

/// The media diagnostic: the caller hears themselves after ``delay``.
///
/// The first thing to try when a phone has no audio: it proves RTP flows both ways through
/// Asterisk, the advertised address and the ports, with no speech engine involved.
public final class LoopbackBot: CallAudioHandler {
    /// How long the caller waits to hear their own voice.
    public let delay: Duration
    private let line = Mutex<(frames: [[Int16]], head: Int, sent: Int64)>(([], 0, 0))
    private let source = UInt64.random(in: 1 ... .max)

    public init(delay: Duration) {
        self.delay = delay
    }

    public func inbound(_ frame: PCMChunk, output: CallAudioOutput) {
        let depth = Int(delay / FrameTiming.duration)
        let (delayed, offset) = line.withLock { line -> ([Int16]?, Int64) in
            // A ring of `depth` frames: what goes in now comes out `delay` later.
            if line.frames.count < depth {
                line.frames.append(frame.samples)
                return (nil, 0)
            }
            let out: [Int16]
            if depth == 0 {
                out = frame.samples
            } else {
                out = line.frames[line.head]
                line.frames[line.head] = frame.samples
                line.head = (line.head + 1) % depth
            }
            defer { line.sent += Int64(out.count) }
            return (out, line.sent)
        }
        if let delayed { output.send(delayed, source: source, offset: offset) }
    }
}
