import Audio
import Media

/// Resamples a synthesiser's buffers to the wanted rate as they arrive and yields them.
///
/// Created per synthesis and used only on the engine's queue — inside the C callback and
/// the block that follows the synthesis — hence `@unchecked Sendable`: the filter state is
/// never touched by two threads. The filter's delay is removed from the front and flushed
/// at the end, so the output lines up with the input and keeps the last syllable.
final class ResamplingStream: @unchecked Sendable {
    private let outputRate: Int
    private let continuation: AsyncThrowingStream<[Int16], any Error>.Continuation
    private var resampler: Resampler?
    private var inputRate = 0
    private var delayToDrop = 0

    init(outputRate: Int, continuation: AsyncThrowingStream<[Int16], any Error>.Continuation) {
        self.outputRate = outputRate
        self.continuation = continuation
    }

    /// Converts and yields one buffer taken at `rate`.
    func append(_ samples: UnsafeBufferPointer<Int16>, rate: Int) {
        if inputRate == 0 {
            inputRate = rate
            if rate != outputRate {
                resampler = try? Resampler(from: SampleRate(hertz: rate), to: SampleRate(hertz: outputRate))
                delayToDrop = resampler?.outputLatency ?? 0
            }
        }
        guard let resampler else {
            continuation.yield(Array(samples))
            return
        }
        var output = Array(resampler.process(Array(samples)))
        if delayToDrop > 0 {
            let dropped = min(delayToDrop, output.count)
            output.removeFirst(dropped)
            delayToDrop -= dropped
        }
        if !output.isEmpty { continuation.yield(output) }
    }

    /// Flushes the filter's tail.
    func finish() {
        guard let resampler else { return }
        let tail = (resampler.outputLatency * inputRate + outputRate - 1) / outputRate
        let silence = [Int16](repeating: 0, count: tail)
        silence.withUnsafeBufferPointer { append($0, rate: inputRate) }
    }
}
