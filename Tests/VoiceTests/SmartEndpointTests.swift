import Testing
@testable import Voice

/// The pause that ends a turn, from the words so far: partial sequences as streaming
/// recognisers send them (Deepgram-style interim results, punctuated when final-ish).
@Suite("Smart endpointing")
struct SmartEndpointTests {
    struct Sequence: Sendable, CustomStringConvertible {
        let description: String
        let partials: [String]
        let expected: SmartEndpoint.Reading
    }

    static let sequences: [Sequence] = [
        .init(description: "a question", partials: ["what", "what is", "what is the capital", "What is the capital of France?"], expected: .complete),
        .init(description: "a statement", partials: ["I need", "I need to cancel", "I need to cancel my appointment."], expected: .complete),
        .init(description: "a filler", partials: ["I'd like to book", "I'd like to book an appointment for", "I'd like to book an appointment for, um"], expected: .hesitating),
        .init(description: "a trailing and", partials: ["my name is Ana", "my name is Ana and"], expected: .hesitating),
        .init(description: "an ellipsis", partials: ["so the thing is..."], expected: .hesitating),
        .init(description: "unpunctuated", partials: ["book an appointment"], expected: .undecided),
        .init(description: "pergunta", partials: ["qual é", "qual é o horário", "Qual é o horário de vocês?"], expected: .complete),
        .init(description: "hesitação é", partials: ["eu queria", "eu queria marcar uma consulta", "eu queria marcar uma consulta é"], expected: .hesitating),
        .init(description: "e no fim", partials: ["quero marcar com a doutora Lima e"], expected: .hesitating),
        .init(description: "para no fim", partials: ["preciso de um horário para"], expected: .hesitating),
        .init(description: "frase completa", partials: ["Quero falar com a recepção."], expected: .complete),
        .init(description: "nothing yet", partials: [""], expected: .undecided),
    ]

    @Test(arguments: sequences)
    func theLastPartialDecides(_ sequence: Sequence) {
        #expect(SmartEndpoint.reading(of: sequence.partials.last!) == sequence.expected)
    }

    @Test func theSilenceStaysWithinTheBounds() {
        let endpoint = SmartEndpoint(shortest: .milliseconds(300), longest: .milliseconds(1500))
        #expect(endpoint.silence(after: "Is it open?", base: .milliseconds(600)) == .milliseconds(300))
        #expect(endpoint.silence(after: "I want to book, um", base: .milliseconds(600)) == .milliseconds(1500))
        #expect(endpoint.silence(after: "book an appointment", base: .milliseconds(600)) == .milliseconds(600))
        // A base already shorter or longer than the bounds is kept on the side it is on.
        #expect(endpoint.silence(after: "Is it open?", base: .milliseconds(200)) == .milliseconds(200))
        #expect(endpoint.silence(after: "and", base: .milliseconds(2000)) == .milliseconds(2000))
        #expect(SmartEndpoint(enabled: false).silence(after: "Is it open?", base: .milliseconds(600)) == .milliseconds(600))
    }

    /// Through the turn machine: a caller who pauses after "and" is not cut off at the usual
    /// 600 ms, and a finished question ends the turn after 300 ms.
    @Test func aHesitatingCallerIsNotCutOffAndAFinishedQuestionEndsSooner() {
        var hesitating = TurnTakingTests.parked(in: .listening)
        let start = hesitating.now.seconds
        _ = hesitating.at(start + 0.1, .speechStarted)
        _ = hesitating.at(start + 0.5, .partialTranscript("I would like to book an appointment for tomorrow and"))
        _ = hesitating.at(start + 1.0, .speechEnded)
        #expect(hesitating.tick(until: start + 2.3).isEmpty, "still the caller's turn 1.3 s into the pause")
        _ = hesitating.at(start + 2.4, .speechStarted)
        _ = hesitating.at(start + 2.8, .partialTranscript("I would like to book an appointment for tomorrow and the day after."))
        _ = hesitating.at(start + 3.0, .speechEnded)
        let ended = hesitating.tick(until: start + 3.4)
        #expect(ended == [.finalizeRecognition], "a complete sentence ends the turn after 300 ms")

        var asking = TurnTakingTests.parked(in: .listening)
        let begin = asking.now.seconds
        _ = asking.at(begin + 0.1, .speechStarted)
        _ = asking.at(begin + 0.8, .partialTranscript("What time do you open?"))
        _ = asking.at(begin + 1.0, .speechEnded)
        #expect(asking.tick(until: begin + 1.28).isEmpty)
        #expect(asking.tick(until: begin + 1.36) == [.finalizeRecognition])
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
