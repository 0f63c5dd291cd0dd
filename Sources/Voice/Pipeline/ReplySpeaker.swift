/// Speaks one reply: brain text → sentences → synthesis → 20 ms frames on the call's output.
///
/// Runs as the reply's own task; cancelling it (barge-in) stops the brain and the synthesiser
/// streams at their next await. It keeps only ``ConversationSettings/framesAhead`` frames queued
/// ahead of the wire, so a flush discards little and the pacer's cursors say exactly what was
/// heard. Actions wait until the words before them have been played ("I'll transfer you now").
///
/// When the brain or synthesis fails, it does what ``onFailure`` says (the loop chose it from the
/// ``ProviderFailurePolicy`` and the failures so far) and tells the loop what the caller got.
struct ReplySpeaker: Sendable {
    /// What to do if the brain or synthesis fails this reply.
    enum OnFailure: Sendable {
        /// Say the apology, unless part of the reply was heard already; the call goes on.
        case apologize(String)
        /// Say `line`, then perform `action` (a transfer or hang-up), even if the line cannot be said.
        case leave(line: String, action: CallAction)
    }

    let id: Int
    let playback: ReplyPlayback
    let synthesizer: any SpeechSynthesizer
    let output: any ConversationAudioOutput
    let control: any ConversationCallControl
    let converters: SampleRateConverterFactory
    let language: String
    let framesAhead: Int
    let onFailure: OnFailure
    let echoGuard: EchoGuard
    let clock: any ConversationClock
    let inbox: Inbox<ConversationPipeline.Input>
    /// True once the conversation has stopped (the call ended): no action may follow then.
    let conversationOver: @Sendable () -> Bool

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
                        send(.firstToken(clock.now))
                    }
                    for sentence in chunker.append(text) { try await say(sentence, &progress) }
                case .action(.setVariable(let name, let value)):
                    // Dialog state (a flow's current state) must be in place for the next turn.
                    inbox.post(.variable(name, value))
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
            let response: FailedReplyResponse
            switch onFailure {
            case .apologize(let apology):
                var spoke = false
                if playback.sources.isEmpty { spoke = (try? await sayAll(apology, &progress)) != nil }
                response = spoke ? .apology : .silence
            case .leave(let line, let action):
                await leave(saying: line, then: action, &progress)
                if conversationOver() { return }
                response = if case .transfer = action { .transfer } else { .hangUp }
            }
            send(.failed(String(describing: error), response: response))
        }
    }

    /// Says `line` and performs `action` once it was heard. The action does not depend on the
    /// line: if synthesis is down too, or the caller talks over it (the reply is cancelled), the
    /// caller is transferred or hung up all the same rather than left with a bot that cannot
    /// answer. Only a conversation that is over (the call ended) skips it.
    private func leave(saying line: String, then action: CallAction, _ progress: inout Progress) async {
        _ = try? await sayAll(line, &progress)
        if conversationOver() { return }
        await control.perform(action)
    }

    /// Says `text` and waits until it was played.
    private func sayAll(_ text: String, _ progress: inout Progress) async throws {
        try await say(text, &progress)
        try await drain(&progress)
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
                send(.firstAudio(clock.now))
            }
            let converted = converter.convert(chunk)
            // The sentence's length is what was synthesised, not what was queued: a paused or cut
            // reply queues less, and the heard share must be taken of the whole sentence.
            playback.add(samples: converted.count, to: source)
            pending += converted
            var start = 0
            while pending.count - start >= frame {
                try await enqueue(Array(pending[start..<start + frame]), source: source, offset: &offset, &progress)
                start += frame
            }
            pending.removeFirst(start)
        }
        playback.synthesisEnded(for: source)
        if !pending.isEmpty { try await enqueue(pending, source: source, offset: &offset, &progress) }
    }

    private func enqueue(_ samples: [Int16], source: UInt64, offset: inout Int64, _ progress: inout Progress) async throws {
        try await waitForRoom(&progress)
        try Task.checkCancellation()
        // Queued frames leave within framesAhead ticks; date the level to when it reaches the wire.
        echoGuard.botSent(samples, at: clock.now + .milliseconds(20) * output.queuedFrames)
        _ = output.send(samples, source: source, offset: offset)
        playback.sent(samples, source: source, offset: offset)
        offset += Int64(samples.count)
        noticeStart(&progress)
    }

    /// Waits for room in the output queue, and while the reply is paused; after a pause, first
    /// sends again what the pause flushed before it left.
    private func waitForRoom(_ progress: inout Progress) async throws {
        var paused = false
        while output.queuedFrames >= framesAhead || playback.isPaused {
            paused = paused || playback.isPaused
            noticeStart(&progress)
            if playback.isPaused {
                // A pause lasts until the caller's speech is judged: a few hundred milliseconds.
                try await clock.sleep(for: .milliseconds(5))
            } else {
                await output.waitForRoom(queuedBelow: framesAhead)
                try Task.checkCancellation()
            }
        }
        guard paused else { return }
        try Task.checkCancellation()
        for frame in playback.takeUnplayed(by: output) {
            _ = output.send(frame.samples, source: frame.source, offset: frame.offset)
            playback.sent(frame.samples, source: frame.source, offset: frame.offset)
        }
    }

    /// Waits until everything queued has been sent (and no pause holds the rest back).
    private func drain(_ progress: inout Progress) async throws {
        repeat {
            try await waitForRoom(&progress)
            while output.queuedFrames > 0, !playback.isPaused {
                noticeStart(&progress)
                // Woken by each frame leaving; a pause starting meanwhile flushes the queue.
                await output.waitForRoom(queuedBelow: 1)
                try Task.checkCancellation()
            }
        } while playback.isPaused || output.queuedFrames > 0
        noticeStart(&progress)
    }

    private func noticeStart(_ progress: inout Progress) {
        // Dated by the pacer, not by this check: the reply's timing must not include the polling.
        guard !progress.started, let first = playback.sources.first, let sentAt = output.playbackStarted(for: first) else { return }
        progress.started = true
        send(.started(sentAt))
    }

    private func send(_ event: ReplyEvent) { inbox.post(.reply(event, id: id)) }
}
