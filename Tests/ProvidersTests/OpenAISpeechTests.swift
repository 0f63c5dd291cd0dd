import Audio
import Foundation
import LoopbackHTTPServer
import Settings
import Testing
@testable import Providers

@Suite("OpenAI speech")
struct OpenAISpeechTests {
    let samples: [Int16] = (0..<2400).map { Int16(truncatingIfNeeded: $0 * 37 - 30000) }

    @Test func pcmIsYieldedAsItArrivesAcrossOddByteBoundaries() async throws {
        let bytes = littleEndianBytes(samples)
        let gate = LoopbackHTTPServer.Response.Gate()
        let response = Response(
            status: 200, headers: [("Content-Type", "audio/pcm")],
            fault: .gated(before: [bytes.prefix(3), bytes.dropFirst(3).prefix(2)], gate: gate, after: [bytes.dropFirst(5).prefix(1001), bytes.dropFirst(1006)]))
        let server = try await FakeServer([response])
        defer { server.close() }
        let meter = CostMeter(prices: PriceTable())
        let speech = OpenAISpeech(endpoint: server.endpoint(), server: server.access, model: "gpt-4o-mini-tts", voice: "nova", speed: 1.25, meter: meter)
        #expect(speech.sampleRate == 24000)
        var iterator = speech.synthesize("Olá, tudo bem?", language: "pt-BR").makeAsyncIterator()
        var received: [Int16] = []
        // The first samples arrive while the server still holds the rest of the answer.
        while received.count < 2, let chunk = try await iterator.next() { received += chunk }
        #expect(received == Array(samples.prefix(2)))
        gate.open()
        while let chunk = try await iterator.next() { received += chunk }
        #expect(received == samples)
        let body = try #require(JSONSerialization.jsonObject(with: server.requests[0].body) as? [String: Any])
        #expect(body["model"] as? String == "gpt-4o-mini-tts" && body["voice"] as? String == "nova")
        #expect(body["input"] as? String == "Olá, tudo bem?" && body["response_format"] as? String == "pcm")
        #expect(body["speed"] as? Double == 1.25)
        #expect(server.requests[0].path == "/v1/audio/speech")
        #expect(meter.report().usage["openai"]?.characters == 14)
    }

    func wav(_ samples: [Int16], rate: Int, extraChunk: Bool) -> Data {
        var file = WAV.encode(samples, sampleRate: rate)
        if extraChunk {
            // A LIST chunk between fmt and data, as ffmpeg-based servers write; and the
            // streaming data size 0xFFFFFFFF.
            let list = Data("LIST".utf8) + Data([6, 0, 0, 0]) + Data("INFOab".utf8)
            file = file.prefix(36) + list + file.dropFirst(36)
            file.replaceSubrange(file.count - samples.count * 2 - 4..<file.count - samples.count * 2, with: Data([0xFF, 0xFF, 0xFF, 0xFF]))
        }
        return file
    }

    @Test(arguments: [false, true])
    func wavHeaderIsReadAcrossPieces(extraChunk: Bool) async throws {
        let file = wav(samples, rate: 16000, extraChunk: extraChunk)
        let pieces = stride(from: 0, to: file.count, by: 7).map { file[$0..<min($0 + 7, file.count)] }
        let server = try await FakeServer([Response(status: 200, headers: [("Content-Type", "audio/wav")], fault: .chunked(pieces: Array(pieces), pause: .zero))])
        defer { server.close() }
        let speech = OpenAISpeech(endpoint: server.endpoint("local"), server: server.access, model: "kokoro", voice: "pf_dora", format: .wav, sampleRate: 16000)
        let (chunks, error) = await collect(speech.synthesize("Oi", language: "pt-BR"))
        #expect(error == nil)
        #expect(chunks.flatMap { $0 } == samples)
    }

    @Test func wavAtAnotherRateIsResampled() async throws {
        let server = try await FakeServer([Response(status: 200, headers: [("Content-Type", "audio/wav")], body: WAV.encode(samples, sampleRate: 8000))])
        defer { server.close() }
        let speech = OpenAISpeech(endpoint: server.endpoint("local"), server: server.access, model: "piper", voice: "amy", format: .wav, sampleRate: 16000)
        let (chunks, error) = await collect(speech.synthesize("Hi", language: "en-US"))
        #expect(error == nil)
        let count = chunks.reduce(0) { $0 + $1.count }
        // Twice the samples, less the resampling filter's delay.
        #expect(count > samples.count * 2 - 200 && count <= samples.count * 2)
    }

    @Test(arguments: [
        (Response.json(200, #"{"error":{"message":"voice not found"}}"#), "content_type"),
        (Response(status: 200, headers: [("Content-Type", "audio/wav")], body: Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + Data([16, 0, 0, 0, 1, 0, 2, 0]) + Data(repeating: 0, count: 40)), "malformed"),
        (Response(status: 200, headers: [("Content-Type", "audio/wav")], body: Data("<html>oops</html>".utf8)), "malformed"),
    ])
    func badAnswersAreTypedErrors(response: Response, kind: String) async throws {
        let server = try await FakeServer([response])
        defer { server.close() }
        let speech = OpenAISpeech(endpoint: server.endpoint(), server: server.access, model: "tts-1", voice: "alloy", format: .wav, sampleRate: 24000)
        let (_, error) = await collect(speech.synthesize("Hi", language: "en-US"))
        #expect((error as? ProviderError)?.kind == kind)
    }
}
