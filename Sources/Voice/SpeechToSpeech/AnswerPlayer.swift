/// Paces one answer's audio onto the call: 20 ms frames, only a few ahead of the wire, so a
/// barge-in flush discards little and the pacer's cursor says exactly what was heard.
struct AnswerPlayer: Sendable {
    let output: any ConversationAudioOutput
    let framesAhead: Int
    let echoGuard: EchoGuard
    let clock: any ConversationClock
    /// Where the relay of a synthesised line runs: the conversation's executor.
    let executor: any TaskExecutor

    /// Plays `audio` as `source` until it ends and every frame has left; returns early when the
    /// task is cancelled. Returns whether it played to the end.
    func play(_ audio: AsyncStream<[Int16]>, source: UInt64, converter: any SampleRateConverter) async -> Bool {
        let frame = output.sampleRate / 50
        var pending: [Int16] = []
        var offset: Int64 = 0
        for await chunk in audio {
            pending += converter.convert(chunk)
            var start = 0
            while pending.count - start >= frame {
                guard await send(Array(pending[start..<start + frame]), source: source, offset: &offset) else { return false }
                start += frame
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty, !(await send(pending, source: source, offset: &offset)) { return false }
        while output.queuedFrames > 0 {
            await output.waitForRoom(queuedBelow: 1)
            if Task.isCancelled { return false }
        }
        return !Task.isCancelled
    }

    /// Plays a whole synthesised line (the failure policy's apology or handover).
    func play(_ line: AsyncThrowingStream<[Int16], any Error>, rate: Int, converters: SampleRateConverterFactory) async -> Bool {
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        let relay = Task(executorPreference: executor) {
            do {
                for try await chunk in line { feed.yield(chunk) }
            } catch {}
            feed.finish()
        }
        defer { relay.cancel() }
        let converter: any SampleRateConverter = rate == output.sampleRate ? PassThroughConverter() : converters(rate, output.sampleRate)
        return await play(audio, source: UInt64.random(in: 1 ... .max), converter: converter)
    }

    private func send(_ samples: [Int16], source: UInt64, offset: inout Int64) async -> Bool {
        while output.queuedFrames >= framesAhead {
            await output.waitForRoom(queuedBelow: framesAhead)
            if Task.isCancelled { return false }
        }
        guard !Task.isCancelled else { return false }
        // Queued frames leave within framesAhead ticks; date the level to when it reaches the wire.
        echoGuard.botSent(samples, at: clock.now + .milliseconds(20) * output.queuedFrames)
        _ = output.send(samples, source: source, offset: offset)
        offset += Int64(samples.count)
        return true
    }
}
