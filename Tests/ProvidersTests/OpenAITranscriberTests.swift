import Foundation
import LoopbackHTTPServer
import Settings
import Testing
import Voice
@testable import Providers

@Suite("OpenAI transcriber")
struct OpenAITranscriberTests {
    func audio(_ chunks: [[Int16]]) -> AsyncStream<[Int16]> {
        AsyncStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
    }

    func transcriber(_ server: FakeServer, format: OpenAITranscriber.ResponseFormat = .json, meter: CostMeter? = nil) -> OpenAITranscriber {
        OpenAITranscriber(endpoint: server.endpoint(), server: server.access, model: "whisper-1", prompt: "Clínica Sorriso", responseFormat: format, meter: meter)
    }

    /// The value of a multipart text field.
    func field(_ name: String, in body: Data) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "name=\"\(name)\"\r\n\r\n") else { return nil }
        // "\r\n" is one Character in Swift.
        return String(text[start.upperBound...].prefix { $0 != "\r\n" })
    }

    @Test func uploadsTheUtteranceAsMultipartWAV() async throws {
        let server = try await FakeServer([.json(200, #"{"text":" Quero marcar uma consulta. "}"#)])
        defer { server.close() }
        let samples: [[Int16]] = [Array(repeating: 100, count: 160), Array(repeating: -100, count: 320)]
        let meter = CostMeter(prices: PriceTable())
        let hints = RecognitionHints(language: "pt-BR", phrases: ["consulta", "exame"], prompt: "Dr. Souza")
        let (transcripts, error) = await collect(transcriber(server, meter: meter).transcribe(audio(samples), hints: hints))
        #expect(error == nil)
        #expect(transcripts == [Transcript(text: "Quero marcar uma consulta.", isFinal: true)])
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/audio/transcriptions")
        let contentType = try #require(request.header("Content-Type"))
        #expect(contentType.hasPrefix("multipart/form-data; boundary="))
        #expect(field("model", in: request.body) == "whisper-1")
        #expect(field("language", in: request.body) == "pt")
        #expect(field("prompt", in: request.body) == "Clínica Sorriso Dr. Souza consulta, exame")
        #expect(field("response_format", in: request.body) == "json")
        let riff = try #require(request.body.range(of: Data("RIFF".utf8)))
        let wav = request.body[riff.lowerBound...]
        let dataSize = wav.dropFirst(40).prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let rate = wav.dropFirst(24).prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(dataSize == 480 * 2 && rate == 16000)
        #expect(meter.report().usage["openai"]?.audioSeconds == 0.03)
    }

    @Test func verboseJSONGivesAConfidence() async throws {
        let verbose = #"{"task":"transcribe","language":"english","duration":1.2,"text":"Hello there","segments":[{"id":0,"start":0.0,"end":1.2,"text":" Hello there","avg_logprob":-0.2,"no_speech_prob":0.01}]}"#
        let server = try await FakeServer([.json(200, verbose)])
        defer { server.close() }
        let (transcripts, _) = await collect(transcriber(server, format: .verboseJSON).transcribe(audio([[1, 2, 3]]), hints: RecognitionHints(language: "en-US")))
        let transcript = try #require(transcripts.first)
        #expect(transcript.text == "Hello there" && transcript.isFinal)
        #expect(abs((transcript.confidence ?? 0) - exp(-0.2)) < 1e-9)
        #expect(field("response_format", in: server.requests[0].body) == "verbose_json")
    }

    @Test(arguments: [
        (400, #"{"error":{"message":"Invalid file format.","type":"invalid_request_error","param":null,"code":null}}"#, "Invalid file format."),
        (404, #"{"detail":"Model 'large-v9' not found"}"#, "Model 'large-v9' not found"),
        (422, #"{"detail":[{"loc":["body","file"],"msg":"field required","type":"value_error.missing"}]}"#, "field required"),
        (500, "Internal Server Error", "Internal Server Error"),
    ])
    func errorShapesBecomeTypedErrors(status: Int, body: String, message: String) async throws {
        let server = try await FakeServer([.json(status, body)])
        defer { server.close() }
        let (_, error) = await collect(transcriber(server).transcribe(audio([[1, 2]]), hints: RecognitionHints(language: "en-US")))
        #expect(error as? ProviderError == .http(provider: "openai", status: status, message: message))
    }

    @Test func answerWithoutTextIsMalformed() async throws {
        let server = try await FakeServer([.json(200, #"{"transcript":"wrong field"}"#)])
        defer { server.close() }
        let (_, error) = await collect(transcriber(server).transcribe(audio([[1, 2]]), hints: RecognitionHints(language: "en-US")))
        #expect((error as? ProviderError)?.kind == "malformed")
        #expect(server.stats.value("openai", "malformed") == 1)
    }

    @Test func silenceIsAnEmptyTranscriptWithoutARequest() async throws {
        let server = try await FakeServer([.json(500, "{}")])
        defer { server.close() }
        let (transcripts, _) = await collect(transcriber(server).transcribe(audio([]), hints: RecognitionHints(language: "en-US")))
        #expect(transcripts == [Transcript(text: "", isFinal: true)])
        #expect(server.requests.isEmpty)
    }
}
