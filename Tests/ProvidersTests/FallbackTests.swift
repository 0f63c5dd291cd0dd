import Foundation
import LoopbackHTTPServer
import Testing
import Voice
import VoiceTesting
@testable import Providers

@Suite("Fallback chains")
struct FallbackTests {
    let conversation = Conversation(language: "en-US")

    @Test func brainFallsBackWhenTheFirstFailsBeforeAnyOutput() async throws {
        let server = try await FakeServer([.json(503, #"{"error":{"message":"overloaded"}}"#)])
        defer { server.close() }
        let openAI = OpenAIChatBrain(endpoint: server.endpoint(), server: server.access, model: "gpt")
        let local = ScriptedBrain { _, _ in [.text("Local answer.")] }
        let chain = FallbackBrain([openAI, local], stats: server.stats)
        let (outputs, error) = await collect(chain.respond(to: .speech("hi"), in: conversation))
        #expect(error == nil)
        #expect(outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined() == "Local answer.")
        #expect(local.turns.count == 1)
        #expect(server.stats.value(openAI.name, "fallback") == 1)
    }

    @Test func brainDoesNotSwitchAfterOutput() async throws {
        let cut = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half a\"},\"finish_reason\":null}]}\n\n"
        let server = try await FakeServer([.sse(cut)])
        defer { server.close() }
        let local = ScriptedBrain { _, _ in [.text("Another answer.")] }
        let chain = FallbackBrain([OpenAIChatBrain(endpoint: server.endpoint(), server: server.access, model: "gpt"), local])
        let (outputs, error) = await collect(chain.respond(to: .speech("hi"), in: conversation))
        #expect(outputs == [.text("Half a")])
        #expect(error as? ProviderError == .streamAborted(provider: "openai"))
        #expect(local.turns.isEmpty)
    }

    @Test func everyBrainFailingSurfacesAllTheErrors() async throws {
        struct Down: Error, CustomStringConvertible { var description: String { "offline brain down" } }
        let server = try await FakeServer([.json(500, #"{"error":{"message":"boom"}}"#)])
        defer { server.close() }
        let chain = FallbackBrain([OpenAIChatBrain(endpoint: server.endpoint(), server: server.access, model: "gpt"), ScriptedBrain(failure: Down()) { _, _ in [] }])
        let (outputs, error) = await collect(chain.respond(to: .greeting, in: conversation))
        #expect(outputs.isEmpty)
        guard case .allProvidersFailed(let role, let failures)? = error as? ProviderError else {
            Issue.record("expected allProvidersFailed, got \(String(describing: error))")
            return
        }
        #expect(role == "llm" && failures.count == 2)
        #expect(failures[0].contains("boom") && failures[1].contains("offline brain down"))
    }

    @Test func recognizerFallbackHearsTheWholeUtterance() async throws {
        let server = try await FakeServer([.json(500, #"{"detail":"CUDA out of memory"}"#)])
        defer { server.close() }
        let whisper = OpenAITranscriber(endpoint: server.endpoint(), server: server.access, model: "whisper-1")
        let offline = ScriptedRecognizer(script: ["i want an appointment"], framesPerWord: 1000)
        let chain = FallbackRecognizer([whisper, offline])
        let (audio, feed) = AsyncStream<[Int16]>.makeStream()
        let transcripts = chain.transcribe(audio, hints: RecognitionHints(language: "en-US"))
        for _ in 0..<10 { feed.yield(Array(repeating: 5, count: 320)) }
        feed.finish()
        let (results, error) = await collect(transcripts)
        #expect(error == nil)
        #expect(results.last == Transcript(text: "i want an appointment", isFinal: true, confidence: 0.9))
        #expect(offline.samplesHeard == 3200)
        #expect(server.requests.count == 1)
    }

    @Test func synthesizerFallbackIsResampledToTheChainsRate() async throws {
        let server = try await FakeServer([.json(429, #"{"error":{"message":"quota"}}"#)])
        defer { server.close() }
        let openAI = OpenAISpeech(endpoint: server.endpoint(), server: server.access, model: "tts-1", voice: "alloy")
        let offline = ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(50))
        let chain = FallbackSynthesizer([openAI, offline])
        #expect(chain.sampleRate == 24000)
        let (chunks, error) = await collect(chain.synthesize("Hello", language: "en-US"))
        #expect(error == nil)
        let count = chunks.reduce(0) { $0 + $1.count }
        let expected = offline.sampleCount(for: "Hello") * 3
        #expect(count > expected - 300 && count <= expected)
    }

    @Test func synthesizerThatFailsMidSentenceIsNotReplaced() async throws {
        let bytes = littleEndianBytes(Array(repeating: 1000, count: 4800))
        let server = try await FakeServer([Response(status: 200, headers: [("Content-Type", "audio/pcm")], body: bytes, fault: .closeMidResponse)])
        defer { server.close() }
        let offline = ScriptedSynthesizer(sampleRate: 24000)
        let chain = FallbackSynthesizer([OpenAISpeech(endpoint: server.endpoint(), server: server.access, model: "tts-1", voice: "alloy"), offline])
        let (chunks, error) = await collect(chain.synthesize("Hello", language: "en-US"))
        #expect(!chunks.isEmpty)
        #expect((error as? ProviderError)?.kind == "connection")
        #expect(offline.synthesized.isEmpty)
    }
}
