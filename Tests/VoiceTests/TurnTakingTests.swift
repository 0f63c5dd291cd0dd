import Testing
@testable import Voice

typealias Event = TurnTaking.Event
typealias Action = TurnTaking.Action

/// Drives a machine through timed events and keeps everything it asked for.
struct Script {
    var machine = TurnTaking()
    var actions: [Action] = []
    var now: Duration = .zero

    mutating func at(_ seconds: Double, _ event: Event) -> [Action] {
        now = .milliseconds(Int(seconds * 1000))
        let produced = machine.handle(event, at: now)
        actions += produced
        return produced
    }

    /// Ticks every 20 ms from the current time up to `seconds`.
    mutating func tick(until seconds: Double) -> [Action] {
        var produced: [Action] = []
        var time = now
        while time < .milliseconds(Int(seconds * 1000)) {
            time += .milliseconds(20)
            produced += at(Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18, .tick)
        }
        return produced
    }
}

@Suite("TurnTaking")
struct TurnTakingTests {
    /// Machines parked in each state, with the time of their last event.
    static func parked(in state: TurnTaking.State, settings: TurnSettings = TurnSettings()) -> Script {
        var script = Script(machine: TurnTaking(settings: settings))
        _ = script.at(0, .callStarted)
        if state == .greeting { return script }
        _ = script.at(1, .replyStarted)
        _ = script.at(2, .replyFinished)
        if state == .listening { return script }
        if state == .ended { _ = script.at(2, .hangup); return script }
        _ = script.at(2.5, .speechStarted)
        if state == .callerSpeaking { return script }
        _ = script.at(3.0, .speechEnded)
        _ = script.tick(until: 3.62)
        if state == .thinking { return script }
        _ = script.at(3.7, .finalTranscript("hello"))
        _ = script.at(4.0, .replyStarted)
        return script
    }

    static let events: [Event] = [
        .callStarted, .speechStarted, .speechEnded, .partialTranscript("x"), .finalTranscript("hi"), .dtmf("1"),
        .replyStarted, .replyFinished, .replyFailed, .hangup, .tick,
    ]

    /// Expected (state, actions) for every state × event, the event arriving 100 ms after parking.
    static let table: [TurnTaking.State: [(TurnTaking.State, [Action])]] = [
        .greeting: [
            (.greeting, [.requestGreeting]), (.callerSpeaking, [.interruptBot]), (.greeting, []), (.greeting, []),
            (.greeting, []), (.thinking, [.interruptBot, .requestReply(.dtmf("1"))]), (.botSpeaking, []),
            (.listening, []), (.listening, []), (.ended, []), (.greeting, []),
        ],
        .listening: [
            (.listening, []), (.callerSpeaking, []), (.listening, []), (.listening, []),
            (.thinking, [.requestReply(.speech("hi"))]), (.thinking, [.requestReply(.dtmf("1"))]), (.botSpeaking, []),
            (.listening, []), (.listening, []), (.ended, []), (.listening, []),
        ],
        .callerSpeaking: [
            (.callerSpeaking, []), (.callerSpeaking, []), (.callerSpeaking, []), (.callerSpeaking, []),
            (.callerSpeaking, []), (.thinking, [.requestReply(.dtmf("1"))]), (.callerSpeaking, []),
            (.callerSpeaking, []), (.callerSpeaking, []), (.ended, []), (.callerSpeaking, []),
        ],
        .thinking: [
            (.thinking, []), (.callerSpeaking, [.interruptBot]), (.thinking, []), (.thinking, []),
            (.thinking, [.requestReply(.speech("hi"))]), (.thinking, [.interruptBot, .requestReply(.dtmf("1"))]),
            (.botSpeaking, []), (.thinking, []), (.thinking, []), (.ended, []), (.thinking, []),
        ],
        .botSpeaking: [
            (.botSpeaking, []), (.botSpeaking, []), (.botSpeaking, []), (.botSpeaking, []), (.botSpeaking, []),
            (.thinking, [.interruptBot, .requestReply(.dtmf("1"))]), (.botSpeaking, []), (.listening, []),
            (.listening, []), (.ended, []), (.botSpeaking, []),
        ],
        .ended: Array(repeating: (.ended, []), count: 11),
    ]

    @Test(arguments: [TurnTaking.State.greeting, .listening, .callerSpeaking, .thinking, .botSpeaking, .ended])
    func everyEventInEveryState(state: TurnTaking.State) throws {
        let parked = Self.parked(in: state)
        #expect(parked.machine.state == state)
        let expected = try #require(Self.table[state])
        for (event, (nextState, actions)) in zip(Self.events, expected) {
            var script = parked
            let produced = script.at(Double(parked.now.components.seconds) + Double(parked.now.components.attoseconds) / 1e18 + 0.1, event)
            #expect(script.machine.state == nextState, "\(state) + \(event)")
            #expect(produced == actions, "\(state) + \(event)")
        }
    }

    @Test func silenceEndsTheTurnAndTheFinalBecomesTheInput() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        _ = script.at(3.0, .speechEnded)
        #expect(script.tick(until: 3.58).isEmpty)
        #expect(script.tick(until: 3.62) == [.finalizeRecognition])
        #expect(script.at(3.7, .finalTranscript("quero marcar uma consulta")) == [.requestReply(.speech("quero marcar uma consulta"))])
    }

    @Test func recogniserFinalDuringAPauseEndsTheTurnAtOnce() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        _ = script.at(3.0, .speechEnded)
        #expect(script.at(3.1, .finalTranscript("yes please")) == [.finalizeRecognition])
        #expect(script.at(3.15, .finalTranscript("")) == [.requestReply(.speech("yes please"))])
    }

    @Test func wordsSpreadOverPausesMakeOneTurn() {
        // The fixed 600 ms silence: smart endpointing would (rightly) wait out "I would like".
        var settings = TurnSettings()
        settings.smartEndpoint.enabled = false
        var script = Self.parked(in: .listening, settings: settings)
        _ = script.at(2.5, .speechStarted)
        _ = script.at(2.7, .speechEnded)
        _ = script.at(2.8, .finalTranscript("I would like"))
        _ = script.at(2.85, .speechStarted)
        _ = script.at(3.3, .speechEnded)
        _ = script.tick(until: 3.95)
        #expect(script.at(4.0, .finalTranscript("an appointment")) == [.requestReply(.speech("I would like an appointment"))])
    }

    @Test func noiseWithoutWordsGoesBackToListeningWithoutAReprompt() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        _ = script.at(2.8, .speechEnded)
        _ = script.tick(until: 3.5)
        #expect(script.at(3.5, .finalTranscript("")).isEmpty)
        #expect(script.machine.state == .listening)
        #expect(script.machine.reprompts == 0)
    }

    @Test func longSpeechWithoutRecognisedWordsIsANoMatch() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        _ = script.at(3.4, .speechEnded)
        _ = script.tick(until: 4.1)
        #expect(script.at(4.1, .finalTranscript("")) == [.requestReply(.speech(""))])
    }

    @Test func longSpeechIsCutAtTheMaximumUtterance() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        #expect(script.tick(until: 22.4).isEmpty)
        #expect(script.tick(until: 22.6) == [.finalizeRecognition])
    }

    @Test func bargeInAfterGraceAndMinimumSpeech() {
        var script = Self.parked(in: .botSpeaking)
        #expect(script.at(4.5, .speechStarted) == [.pauseBot])
        #expect(script.tick(until: 4.88).isEmpty)
        #expect(script.tick(until: 4.92) == [.interruptBot])
        #expect(script.machine.state == .callerSpeaking)
        #expect(script.machine.bargeIns == 1)
    }

    @Test func coughBackchannelAndEchoDoNotInterrupt() {
        var cough = Self.parked(in: .botSpeaking)
        #expect(cough.at(4.5, .speechStarted) == [.pauseBot])
        #expect(cough.at(4.7, .speechEnded) == [.resumeBot])
        #expect(cough.tick(until: 6).isEmpty)
        #expect(cough.machine.state == .botSpeaking && cough.machine.dismissedInterruptions == 1)

        for word in ["mhm", "Aham.", "uh-huh", "sim, sim"] {
            var backchannel = Self.parked(in: .botSpeaking)
            _ = backchannel.at(4.5, .speechStarted)
            _ = backchannel.at(4.7, .partialTranscript(word))
            #expect(backchannel.tick(until: 6).isEmpty, "\(word)")
            #expect(backchannel.machine.state == .botSpeaking)
        }

        // Over before the grace ends: the caller's last word trailing into the bot's start, or echo.
        var echo = Self.parked(in: .botSpeaking)
        #expect(echo.at(4.1, .speechStarted).isEmpty)
        #expect(echo.at(4.25, .speechEnded).isEmpty)
        #expect(echo.tick(until: 6).isEmpty)
        #expect(echo.machine.dismissedInterruptions == 1)
    }

    @Test func speechBegunInTheGraceThatGoesOnIsWeighedFromItsEnd() {
        // A caller who asks just as the bot starts (a late greeting) is heard, not ignored.
        var script = Self.parked(in: .botSpeaking)
        #expect(script.at(4.1, .speechStarted).isEmpty)
        #expect(script.tick(until: 4.28).isEmpty)
        #expect(script.tick(until: 4.3) == [.pauseBot])
        #expect(script.tick(until: 4.68).isEmpty)
        #expect(script.tick(until: 4.7) == [.interruptBot])
        #expect(script.machine.state == .callerSpeaking)
        #expect(script.machine.bargeIns == 1)
        #expect(script.machine.dismissedInterruptions == 0)

        // The same rules as any onset: a backchannel is not a barge-in, and an end resumes the bot.
        var backchannel = Self.parked(in: .botSpeaking)
        _ = backchannel.at(4.1, .speechStarted)
        _ = backchannel.tick(until: 4.3)
        _ = backchannel.at(4.4, .partialTranscript("mhm"))
        #expect(backchannel.at(4.6, .speechEnded) == [.resumeBot])
        #expect(backchannel.tick(until: 6).isEmpty)
        #expect(backchannel.machine.state == .botSpeaking)
        #expect(backchannel.machine.dismissedInterruptions == 1)

        var off = TurnSettings()
        off.bargeIn = false
        var quiet = Self.parked(in: .botSpeaking, settings: off)
        _ = quiet.at(4.1, .speechStarted)
        #expect(quiet.tick(until: 6).isEmpty)
    }

    @Test func speechThatOutlastsTheBotTakesTheFloor() {
        // Started inside the grace period (no barge-in), still going when the bot finishes.
        var script = Self.parked(in: .botSpeaking)
        _ = script.at(4.1, .speechStarted)
        _ = script.at(4.5, .replyFinished)
        #expect(script.machine.state == .callerSpeaking)
        _ = script.at(5.0, .speechEnded)
        #expect(script.tick(until: 5.62) == [.finalizeRecognition])
    }

    @Test func realWordsAfterABackchannelStillInterrupt() {
        var script = Self.parked(in: .botSpeaking)
        _ = script.at(4.5, .speechStarted)
        _ = script.at(4.6, .partialTranscript("mhm"))
        _ = script.at(4.8, .partialTranscript("mhm wait I need"))
        #expect(script.tick(until: 5).contains(.interruptBot))
    }

    @Test func speechTakenForABackchannelInterruptsOnceItOutlastsOne() {
        // Steady noise the recogniser keeps calling "yes" must not hold the bot paused for good.
        var script = Self.parked(in: .botSpeaking)
        _ = script.at(4.5, .speechStarted)
        _ = script.at(4.7, .partialTranscript("yes"))
        #expect(script.tick(until: 6.4).isEmpty)
        #expect(script.tick(until: 6.6) == [.interruptBot])
        #expect(script.machine.state == .callerSpeaking)
    }

    @Test func bargeInCanBeSwitchedOff() {
        var settings = TurnSettings()
        settings.bargeIn = false
        var script = Self.parked(in: .botSpeaking)
        script.machine = {
            var machine = TurnTaking(settings: settings)
            _ = machine.handle(.callStarted, at: .zero)
            _ = machine.handle(.replyStarted, at: .seconds(4))
            return machine
        }()
        _ = script.at(4.5, .speechStarted)
        #expect(script.tick(until: 6).isEmpty)
    }

    @Test func silenceRepromptsThenHangsUp() {
        var script = Self.parked(in: .listening)
        #expect(script.tick(until: 8.98).isEmpty)
        #expect(script.tick(until: 9.02) == [.requestReply(.noInput(attempt: 1))])
        _ = script.at(9.5, .replyStarted)
        _ = script.at(11, .replyFinished)
        #expect(script.tick(until: 18.02) == [.requestReply(.noInput(attempt: 2))])
        _ = script.at(18.5, .replyStarted)
        _ = script.at(20, .replyFinished)
        #expect(script.tick(until: 27.02) == [.hangUp(.noInput)])
        #expect(script.machine.state == .ended)
    }

    @Test func inputResetsTheRepromptCount() {
        var script = Self.parked(in: .listening)
        _ = script.tick(until: 9.02)
        #expect(script.machine.reprompts == 1)
        _ = script.at(9.5, .dtmf("2"))
        #expect(script.machine.reprompts == 0)
    }

    @Test func maximumCallDurationEndsTheCall() {
        var script = Self.parked(in: .listening)
        _ = script.at(2.5, .speechStarted)
        #expect(script.at(900, .tick) == [.hangUp(.maximumDuration)])
        #expect(script.at(901, .tick).isEmpty)
    }
}
