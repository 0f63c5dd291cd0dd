import Testing
@testable import Voice

@Suite("SentenceChunker")
struct SentenceChunkerTests {
    /// Feeds `text` in pieces of `step` characters, then finishes.
    func chunks(_ text: String, step: Int = 3, minimumClause: Int = 40) -> [String] {
        var chunker = SentenceChunker(minimumClauseLength: minimumClause)
        var result: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: step, limitedBy: text.endIndex) ?? text.endIndex
            result += chunker.append(String(text[index..<end]))
            index = end
        }
        if let rest = chunker.finish() { result.append(rest) }
        return result
    }

    @Test(arguments: [
        ("Hello there! How can I help you today? I'm listening.", ["Hello there!", "How can I help you today?", "I'm listening."]),
        ("Olá! Em que posso ajudar? Estou ouvindo.", ["Olá!", "Em que posso ajudar?", "Estou ouvindo."]),
        ("O Sr. Silva e a Dra. Ana atendem às 9:30. Até logo.", ["O Sr. Silva e a Dra. Ana atendem às 9:30.", "Até logo."]),
        ("Mr. Smith will see you at 3.30 p.m. tomorrow. Bye.", ["Mr. Smith will see you at 3.30 p.m. tomorrow.", "Bye."]),
        ("A consulta custa R$ 10,50 e dura 1.5 hora. Ok?", ["A consulta custa R$ 10,50 e dura 1.5 hora.", "Ok?"]),
        ("Trazer RG, CPF, etc. Obrigado.", ["Trazer RG, CPF, etc.", "Obrigado."]),
        ("Bring your ID, card etc. and arrive early.", ["Bring your ID, card etc. and arrive early."]),
        ("Falar com J. Pereira... Ou não.", ["Falar com J. Pereira...", "Ou não."]),
        ("Wait… what?", ["Wait…", "what?"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("Ele disse \"pronto.\" Depois saiu.", ["Ele disse \"pronto.", "\" Depois saiu."]),
    ])
    func sentences(text: String, expected: [String]) {
        #expect(chunks(text) == expected)
        #expect(chunks(text, step: 1) == expected)
        #expect(chunks(text, step: 1000) == expected)
    }

    @Test func longSentencesBreakAtClauses() {
        let text = "Nosso endereço é Rua das Flores, número cento e vinte, no centro da cidade, perto da praça."
        #expect(chunks(text, minimumClause: 30) == [
            "Nosso endereço é Rua das Flores,", "número cento e vinte, no centro da cidade,", "perto da praça.",
        ])
        #expect(chunks(text, minimumClause: 200) == [text])
    }

    @Test func noBoundaryIsDecidedBeforeTheNextCharacterArrives() {
        var chunker = SentenceChunker()
        #expect(chunker.append("It costs 3.").isEmpty)
        #expect(chunker.append("5 dollars. Thanks").first == "It costs 3.5 dollars.")
        #expect(chunker.finish() == "Thanks")
    }

    @Test func runawayTextIsCutAtASpace() {
        let text = String(repeating: "palavra ", count: 100)
        let result = chunks(text)
        #expect(result.count > 1)
        #expect(result.allSatisfy { $0.count <= 240 })
        #expect(result.joined(separator: " ") == text.trimmingWhitespace())
    }

    @Test func resetDropsPendingText() {
        var chunker = SentenceChunker()
        _ = chunker.append("Half a sent")
        chunker.reset()
        #expect(chunker.finish() == nil)
    }
}

extension SentenceChunkerTests {
    @Test func everydayWordsStillEndSentences() {
        #expect(chunks("The answer is no. Sorry.") == ["The answer is no.", "Sorry."])
    }
}
