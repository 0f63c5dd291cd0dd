/// Speaks one reply: brain text → sentences → synthesis → 20 ms frames on the call's output.
///
/// Runs as the reply's own task; cancelling it (barge-in) stops the brain and the synthesiser
/// streams at their next await. It keeps only ``ConversationSettings/framesAhead`` frames queued
/// ahead of the wire, so a flush discards little and the pacer's cursors say exactly what was
/// heard. Actions wait until the words before them have been played ("I'll transfer you now").
struct ReplySpeaker: Sendable {
    let id: Int
    let playback: ReplyPlayback
    let synthesizer: any SpeechSynthesizer
    let output: any ConversationAudioOutput
    let control: any ConversationCallControl
    let converters: SampleRateConverterFactory
    let language: String
    let framesAhead: Int
    let apology: String
    let post: AsyncStream<ConversationPipeline.Input>.Continuation

    private struct Progress {
        var tokenSeen = false
        var audioSeen = false
        var started = false
    }

    func speak(_ turn: AsyncThrowingStream<BrainOutput, any Error>) async {
        var progress = Progress()
        var chunker = SentenceChunker()
        do {
            for try await piece in turn {
                try Task.checkCancellation()
                switch piece {
                case .text(let text):
                    if !progress.tokenSeen {
                        progress.tokenSeen = true
                        send(.firstToken(.now))
                    }
                    for sentence in chunker.append(text) { try await say(sentence, &progress) }
                case .action(let action):
                    if let rest = chunker.finish() { try await say(rest, &progress) }
                    try await drain(&progress)
                    await control.perform(action)
                }
            }
            if let rest = chunker.finish() { try await say(rest, &progress) }
            try await drain(&progress)
            send(.finished(text: playback.text))
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            var spoke = false
            if playback.sources.isEmpty {
                do {
                    try await say(apology, &progress)
                    try await drain(&progress)
                    spoke = true
                } catch {}
            }
            send(.failed(String(describing: error), spokeApology: spoke))
        }
    }

    private func say(_ text: String, _ progress: inout Progress) async throws {
        let source = playback.begin(text)
        let converter: any SampleRateConverter = synthesizer.sampleRate == output.sampleRate
            ? PassThroughConverter() : converters(synthesizer.sampleRate, output.sampleRate)
        let frame = output.sampleRate / 50
        var pending: [Int16] = []
        var offset: Int64 = 0
        for try await chunk in synthesizer.synthesize(text, language: language) {
            try Task.checkCancellation()
            if !progress.audioSeen {
                progress.audioSeen = true
                send(.firstAudio(.now))
            }
            pending += converter.convert(chunk)
            var start = 0
            while pending.count - start >= frame {
                try await enqueue(Array(pending[start..<start + frame]), source: source, offset: &offset, &progress)
                start += frame
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try await enqueue(pending, source: source, offset: &offset, &progress) }
    }

    private func enqueue(_ samples: [Int16], source: UInt64, offset: inout Int64, _ progress: inout Progress) async throws {
        while output.queuedFrames >= framesAhead {
            noticeStart(&progress)
            try await Task.sleep(for: .milliseconds(5))
        }
        try Task.checkCancellation()
        _ = output.send(samples, source: source, offset: offset)
        playback.add(samples: samples.count, to: source)
        offset += Int64(samples.count)
        noticeStart(&progress)
    }

    /// Waits until everything queued has been sent.
    private func drain(_ progress: inout Progress) async throws {
        while output.queuedFrames > 0 {
            noticeStart(&progress)
            try await Task.sleep(for: .milliseconds(5))
        }
        noticeStart(&progress)
    }

    private func noticeStart(_ progress: inout Progress) {
        guard !progress.started, let first = playback.sources.first, output.playedCursor(for: first) != nil else { return }
        progress.started = true
        send(.started(.now))
    }

    private func send(_ event: ReplyEvent) { post.yield(.reply(event, id: id)) }
}
