import Logging

/// Everything a ``SpeechToSpeechConversation`` decides, on its one task.
struct SpeechToSpeechLoop {
    enum Verdict { case goOn, stop }

    /// The answer on the line: its audio is fed to a player task as it comes.
    struct Answer {
        let id: Int
        var item: String?
        let source: UInt64
        let feed: AsyncStream<[Int16]>.Continuation
        let player: Task<Void, Never>
        /// Samples received, at the output's rate.
        var samples: Int64 = 0
        var transcript = ""
        /// The model finished generating it: ``samples`` is its whole length.
        var complete = false
    }

    let owner: SpeechToSpeechConversation
    let started: ContinuousClock.Instant
    var conversation: Conversation
    let detector: SpeechDetector?
    let player: AnswerPlayer

    var session: (id: Int, handle: any SpeechToSpeechSession)?
    var sessionCount = 0
    var answer: Answer?
    var answerCount = 0
    /// An answer was asked for and has not finished.
    var awaitingAnswer = false
    /// When the answer being waited for was asked for: a model that stays silent is a failed session.
    var askedAt: ContinuousClock.Instant?
    /// The model finished an answer that was cut: its late audio and its `responseDone` are ignored.
    var cutItems: Set<String> = []
    var ignoreNextDone = false
    /// Answers in a row that carried no audio (tool calls): bounded, so a model that only calls
    /// tools cannot keep the loop asking.
    var silentAnswers = 0
    var actionRequested = false
    /// A transfer or hang-up the model asked for, done once its last words were heard.
    var pendingAction: CallAction?
    var pendingSays: [String] = []
    /// The reason to hang up with once the goodbye being said is heard.
    var hangUpAfterAnswer: String?

    var timings = TurnTimings(turn: 0, input: "greeting")
    var turnOpen = false
    var callerWords: String?
    var callerSpeaking = false
    var speechOnset: ContinuousClock.Instant?
    /// The last frame of the caller's current speech that was loud above the noise, not the
    /// detector's hangover: a cough is short however long the hangover.
    var lastVoiced: ContinuousClock.Instant?
    var lastSpeechEnd: ContinuousClock.Instant?
    var callerStoppedAt: ContinuousClock.Instant?
    var lastActivity: ContinuousClock.Instant
    var reprompts = 0
    var consecutiveFailures = 0
    var speakingLine = false
    var silentFrame: [Int16] = []
    var state = TurnTaking.State.greeting

    init(owner: SpeechToSpeechConversation) {
        self.owner = owner
        conversation = owner.initialConversation
        started = owner.clock.now
        lastActivity = started
        detector = try? SpeechDetector(sampleRate: owner.output.sampleRate, settings: owner.settings.detector)
        player = AnswerPlayer(
            output: owner.output, framesAhead: owner.settings.framesAhead, echoGuard: owner.echoGuard, clock: owner.clock,
            executor: owner.executor)
        if detector == nil { owner.logger.error("no speech detector for this sample rate", metadata: ["rate": "\(owner.output.sampleRate)"]) }
    }

    var settings: ConversationSettings { owner.settings }

    // MARK: - Session

    mutating func start(_ group: inout DiscardingTaskGroup) {
        openSession(&group)
        beginTurn(input: "greeting", number: 0)
        ask(instructions: nil)
    }

    private mutating func openSession(_ group: inout DiscardingTaskGroup) {
        sessionCount += 1
        let id = sessionCount
        let handle = owner.model.open(conversation, sampleRate: owner.output.sampleRate, encoding: owner.output.lineEncoding)
        session = (id, handle)
        let inbox = owner.inbox
        group.addTask {
            for await event in handle.events { inbox.post(.event(event, session: id)) }
        }
    }

    private mutating func ask(instructions: String?) {
        awaitingAnswer = true
        askedAt = owner.clock.now
        session?.handle.respond(instructions: instructions)
    }

    // MARK: - Inputs

    mutating func handle(_ input: SpeechToSpeechConversation.Input, _ group: inout DiscardingTaskGroup) async -> Verdict {
        switch input {
        case .frame(let samples):
            hear(samples)
            return await tick(&group)
        case .dtmf(let digit):
            lastActivity = owner.clock.now
            if answer != nil { cutAnswer(by: ConversationPipeline.Loop.bargeIn, bargeIn: false) }
            abandonAnswerNotStarted()
            session?.handle.addCallerText("[DTMF \(digit)]")
            beginTurn(input: "dtmf")
            ask(instructions: nil)
        case .say(let text, let interrupt):
            if interrupt {
                if answer != nil { cutAnswer(by: ConversationPipeline.Loop.operatorSay, bargeIn: false) }
                abandonAnswerNotStarted()
            }
            if answer == nil, !awaitingAnswer {
                beginTurn(input: "say")
                ask(instructions: Self.sayExactly(text))
            } else {
                pendingSays.append(text)
            }
        case .event(let event, let id):
            guard id == session?.id else { return .goOn }
            return await sessionEvent(event, &group)
        case .played(let id):
            guard id == answer?.id else { return .goOn }
            return await answerHeard()
        case .lineSaid:
            speakingLine = false
            if let action = pendingAction {
                pendingAction = nil
                await owner.control.perform(action)
                return .stop
            }
        }
        return .goOn
    }

    /// Runs the detector on a caller frame, sends the frame (or silence, for the bot's echo) to
    /// the model, and interrupts the answer when the caller talks over it long enough.
    private mutating func hear(_ samples: [Int16]) {
        let level = Loudness.dBFS(samples)
        let echo = owner.echoGuard.isProbablyEcho(level: level, at: owner.clock.now)
        if echo, silentFrame.count != samples.count { silentFrame = [Int16](repeating: 0, count: samples.count) }
        let heard = echo ? silentFrame : samples
        session?.handle.append(heard)
        guard let detector else { return }
        switch detector.process(heard, level: echo ? -100 : level) {
        case .speechStarted:
            callerSpeaking = true
            speechOnset = owner.clock.now - settings.detector.minimumSpeech
            lastVoiced = owner.clock.now
            lastActivity = owner.clock.now
            if answer == nil { setState(.callerSpeaking) }
        case .speech:
            if !echo, level >= max(detector.noiseFloor + settings.detector.noiseMargin, settings.detector.silenceFloor) { lastVoiced = owner.clock.now }
            lastActivity = owner.clock.now
        case .speechEnded:
            callerSpeaking = false
            lastSpeechEnd = owner.clock.now
            lastActivity = owner.clock.now
        case .silence:
            break
        }
        if callerSpeaking, answer != nil, settings.turn.bargeIn, let speechOnset, let lastVoiced,
           lastVoiced - speechOnset >= settings.turn.bargeInMinimumSpeech {
            cutAnswer(by: ConversationPipeline.Loop.bargeIn, bargeIn: true)
            setState(.callerSpeaking)
        }
    }

    /// Timers: the caller's silence, the call's length, a turn waiting for its transcript.
    private mutating func tick(_ group: inout DiscardingTaskGroup) async -> Verdict {
        let now = owner.clock.now
        if awaitingAnswer, answer == nil, let askedAt, now - askedAt > owner.answerTimeout {
            self.askedAt = nil
            return await sessionFailed("no answer within \(owner.answerTimeout)", &group)
        }
        if turnOpen, answer == nil, !awaitingAnswer, let stopped = callerStoppedAt, now - stopped > .seconds(2) {
            finishTurn()
        }
        if hangUpAfterAnswer == nil, now - started > settings.turn.maximumCallDuration {
            goodbye(reason: "max_duration")
            return .goOn
        }
        let idle = answer == nil && !awaitingAnswer && !callerSpeaking && !speakingLine && hangUpAfterAnswer == nil
        guard idle, now - lastActivity > settings.turn.noInputTimeout else { return .goOn }
        lastActivity = now
        if turnOpen { finishTurn() }
        if reprompts >= settings.turn.maximumReprompts {
            goodbye(reason: "no_input")
        } else {
            reprompts += 1
            beginTurn(input: "no_input")
            ask(instructions: Self.reprompt)
        }
        return .goOn
    }

    private mutating func goodbye(reason: String) {
        if answer != nil { cutAnswer(by: ConversationPipeline.Loop.botHangup, bargeIn: false) }
        abandonAnswerNotStarted()
        hangUpAfterAnswer = reason
        beginTurn(input: "goodbye(\(reason))")
        ask(instructions: Self.goodbyeInstructions)
    }

    // MARK: - The model's events

    private mutating func sessionEvent(_ event: SpeechToSpeechEvent, _ group: inout DiscardingTaskGroup) async -> Verdict {
        switch event {
        case .callerStarted:
            lastActivity = owner.clock.now
        case .callerStopped:
            lastActivity = owner.clock.now
            // Spoken over an answer that went on (a backchannel, a cough): not a turn.
            guard answer == nil, !awaitingAnswer, hangUpAfterAnswer == nil else { return .goOn }
            if turnOpen { finishTurn() }
            beginTurn(input: "speech")
            let ended = lastSpeechEnd ?? owner.clock.now
            timings.speechEnded = ended
            timings.turnEnded = owner.clock.now - ended
            callerStoppedAt = owner.clock.now
            reprompts = 0
            ask(instructions: nil)
            setState(.thinking)
        case .callerTranscript(let text):
            guard !text.isEmpty else { return .goOn }
            conversation.messages.append(.init(role: .caller, text: text))
            if turnOpen, timings.input == "speech", callerWords == nil {
                callerWords = text
                owner.observer.transcript(text, isFinal: true)
                if answer == nil, !awaitingAnswer { finishTurn() }
            }
        case .audio(let item, let samples):
            // A cut or abandoned answer's audio still on its way: its `responseDone` ends it.
            if cutItems.contains(item) || ignoreNextDone { return .goOn }
            openAnswer(item: item, &group)
            guard var current = answer else { return .goOn }
            if current.samples == 0 { timings.firstSynthesizedAudio = timings.speechEnded.map { owner.clock.now - $0 } }
            current.samples += Int64(samples.count)
            current.feed.yield(samples)
            answer = current
        case .botTranscript(let item, let delta):
            if cutItems.contains(item) || ignoreNextDone { return .goOn }
            openAnswer(item: item, &group)
            // A model talked into an endless answer must not grow the call's memory and record.
            if let length = answer?.transcript.utf8.count, length < Self.maximumAnswerBytes {
                answer?.transcript += delta.prefix(Self.maximumAnswerBytes - length)
            }
        case .action(let action):
            actionRequested = true
            switch action {
            case .transfer, .hangUp:
                pendingAction = action
            case .setVariable(let name, let value):
                conversation.variables[name] = value
            case .sendDTMF:
                let control = owner.control
                group.addTask { await control.perform(action) }
            }
        case .responseDone:
            awaitingAnswer = false
            if ignoreNextDone {
                ignoreNextDone = false
                return .goOn
            }
            if var current = answer {
                current.complete = true
                current.feed.finish()
                answer = current
                silentAnswers = 0
                actionRequested = false
                return .goOn
            }
            return await answerWithoutAudio()
        case .nothingToCancel:
            // The answer given up on had ended (its `responseDone` came already) or never began.
            ignoreNextDone = false
        case .failed(let reason):
            return await sessionFailed(reason, &group)
        }
        return .goOn
    }

    /// An answer asked for whose audio has not come yet is no longer wanted (a key press, the
    /// operator, the goodbye come first): it is cancelled, and what it still sends is dropped.
    private mutating func abandonAnswerNotStarted() {
        guard awaitingAnswer, answer == nil else { return }
        session?.handle.cancelResponse()
        ignoreNextDone = true
        awaitingAnswer = false
    }

    /// The first audio or transcript of an answer: its player starts.
    private mutating func openAnswer(item: String, _ group: inout DiscardingTaskGroup) {
        guard answer == nil else {
            if answer?.item == nil { answer?.item = item }
            return
        }
        answerCount += 1
        let id = answerCount
        let source = UInt64.random(in: 1 ... .max)
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        let player = player
        let inbox = owner.inbox
        let converter = PassThroughConverter()
        let task = Task(executorPreference: owner.executor) {
            if await player.play(audio, source: source, converter: converter) { inbox.post(.played(answer: id)) }
        }
        group.addTask { await task.value }
        answer = Answer(id: id, item: item, source: source, feed: feed, player: task)
        setState(.botSpeaking)
    }

    /// An answer with no audio: a tool call, or a model with nothing to say.
    private mutating func answerWithoutAudio() async -> Verdict {
        if actionRequested, silentAnswers < 2 {
            // The model called a tool; its result is in the conversation: let it say what happens.
            actionRequested = false
            silentAnswers += 1
            ask(instructions: nil)
            return .goOn
        }
        silentAnswers = 0
        actionRequested = false
        if await leaveIfAsked() { return .stop }
        if turnOpen, callerWords != nil || timings.input != "speech" { finishTurn() }
        setState(.listening)
        return .goOn
    }

    /// Performs the transfer or hang-up the model or the loop decided on, now that its last words
    /// were heard; true when the call was left.
    private mutating func leaveIfAsked() async -> Bool {
        let action = pendingAction ?? hangUpAfterAnswer.map { CallAction.hangUp(reason: $0) }
        guard let action else { return false }
        pendingAction = nil
        if turnOpen { finishTurn() }
        await owner.control.perform(action)
        return true
    }

    /// The answer was played to its end.
    private mutating func answerHeard() async -> Verdict {
        guard let current = answer else { return .goOn }
        answer = nil
        consecutiveFailures = 0
        timings.firstPacket = owner.output.playbackStarted(for: current.source).flatMap { started in timings.speechEnded.map { started - $0 } }
        let text = current.transcript.trimmingWhitespace()
        if !text.isEmpty {
            conversation.messages.append(.init(role: .bot, text: text))
            owner.observer.botSaid(text, interrupted: false)
        }
        if !awaitingAnswer, callerWords != nil || timings.input != "speech" || callerStoppedAt == nil { finishTurn() }
        if await leaveIfAsked() { return .stop }
        setState(.listening)
        lastActivity = owner.clock.now
        if !pendingSays.isEmpty, !awaitingAnswer {
            if turnOpen { finishTurn() }
            beginTurn(input: "say")
            ask(instructions: Self.sayExactly(pendingSays.removeFirst()))
        }
        return .goOn
    }

    /// Stops the answer now and tells the model what the caller heard of it.
    private mutating func cutAnswer(by reason: String, bargeIn: Bool) {
        guard let current = answer else { return }
        current.player.cancel()
        current.feed.finish()
        _ = owner.output.flush()
        owner.echoGuard.reset()
        let played = owner.output.playedCursor(for: current.source) ?? 0
        if !current.complete {
            session?.handle.cancelResponse()
            ignoreNextDone = true
            awaitingAnswer = false
        }
        if let item = current.item {
            cutItems.insert(item)
            session?.handle.truncate(item: item, heardMilliseconds: Int(played * 1000 / Int64(owner.output.sampleRate)))
        }
        timings.firstPacket = owner.output.playbackStarted(for: current.source).flatMap { started in timings.speechEnded.map { started - $0 } }
        let heard = HeardText.heard(
            [.init(text: current.transcript.trimmingWhitespace(), samples: current.samples, played: played, complete: current.complete)],
            sampleRate: owner.output.sampleRate)
        if !heard.isEmpty { conversation.messages.append(.init(role: .bot, text: heard, interrupted: true)) }
        owner.observer.botSaid(heard, interrupted: true)
        if bargeIn {
            owner.observer.bargeIn(accepted: true)
            timings.interrupted = true
            timings.bargeInStop = speechOnset.map { owner.clock.now - $0 }
        }
        timings.cutBy = reason
        answer = nil
        finishTurn()
    }

    /// The session broke: the failure policy decides what the caller hears, then a new session
    /// takes over (after an apology) or the call is handed over or ended.
    private mutating func sessionFailed(_ reason: String, _ group: inout DiscardingTaskGroup) async -> Verdict {
        owner.logger.warning("speech-to-speech session failed", metadata: ["error": "\(reason)", "model": "\(owner.model.name)"])
        if answer != nil { cutAnswer(by: Self.providerFailure, bargeIn: false) }
        if turnOpen {
            timings.cutBy = Self.providerFailure
            finishTurn()
        }
        awaitingAnswer = false
        ignoreNextDone = false
        if let closing = session?.handle { await closing.close() }
        session = nil
        consecutiveFailures += 1
        let policy = settings.onProviderFailure
        // Apologising for a model that keeps failing would loop forever: at three in a row it
        // ends like `hangup` does.
        let givesUp = consecutiveFailures >= policy.threshold || consecutiveFailures >= 3
        let response: FailedReplyResponse
        if let reason = hangUpAfterAnswer {
            pendingAction = .hangUp(reason: reason)
            response = .hangUp
            say(settings.failureGoodbye, &group)
        } else if givesUp, case .transfer(let destination) = policy.action {
            pendingAction = .transfer(destination: destination)
            response = .transfer
            say(settings.handoverLine, &group)
        } else if givesUp, policy.action != .apologize || consecutiveFailures >= 3 {
            pendingAction = .hangUp(reason: Self.providerFailure)
            response = .hangUp
            say(settings.failureGoodbye, &group)
        } else {
            response = owner.voice == nil ? .silence : .apology
            say(settings.apology, &group)
            openSession(&group)
        }
        owner.observer.replyFailed(response)
        return .goOn
    }

    /// Says one of the failure policy's lines with the synthesiser chain.
    private mutating func say(_ line: String, _ group: inout DiscardingTaskGroup) {
        speakingLine = true
        let inbox = owner.inbox
        guard let voice = owner.voice else {
            inbox.post(.lineSaid)
            return
        }
        let player = player
        let converters = owner.converters
        let language = conversation.language
        group.addTask {
            _ = await player.play(voice.synthesize(line, language: language), rate: voice.sampleRate, converters: converters)
            inbox.post(.lineSaid)
        }
        owner.observer.botSaid(line, interrupted: false)
    }

    // MARK: - Turns

    private mutating func beginTurn(input: String, number: Int? = nil) {
        if turnOpen { finishTurn() }
        timings = TurnTimings(turn: number ?? timings.turn + 1, input: input)
        timings.speechEnded = owner.clock.now
        timings.turnEnded = .zero
        turnOpen = true
        callerWords = nil
        callerStoppedAt = nil
    }

    private mutating func finishTurn() {
        guard turnOpen else { return }
        turnOpen = false
        owner.observer.turnCompleted(timings)
        var metadata: Logger.Metadata = ["turn": "\(timings.turn)", "input": "\(timings.input)", "interrupted": "\(timings.interrupted)"]
        if let cutBy = timings.cutBy { metadata["cut_by"] = "\(cutBy)" }
        for (stage, milliseconds) in timings.millisecondsByStage { metadata[stage] = "\(milliseconds)" }
        if settings.logTranscripts, let callerWords { metadata["text"] = "\(callerWords)" }
        owner.logger.info("turn", metadata: metadata)
    }

    private mutating func setState(_ new: TurnTaking.State) {
        guard new != state else { return }
        state = new
        owner.observer.stateChanged(new)
    }

    mutating func stop(cuttingOpenTurnBy reason: String) async {
        if answer != nil {
            cutAnswer(by: reason, bargeIn: false)
        } else if turnOpen {
            timings.cutBy = reason
            finishTurn()
        }
        setState(.ended)
        await session?.handle.close()
        session = nil
    }

    // MARK: - What ura asks of the model

    static let providerFailure = "provider_failure"
    /// The most of one answer's transcript kept: minutes of speech.
    static let maximumAnswerBytes = 16_000

    static func sayExactly(_ text: String) -> String {
        "Say exactly the following to the caller, in the caller's language, and nothing else: \(text)"
    }

    static let reprompt = "The caller has said nothing for a while. In one short sentence, ask whether they are still there and how you can help."

    static let goodbyeInstructions = "The call is ending now. Say a short, polite goodbye in one sentence."
}
