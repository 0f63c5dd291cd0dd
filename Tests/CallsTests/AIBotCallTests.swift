import AsteriskSimulator
import Bots
import Foundation
import Logging
import LoopbackHTTPServer
import Providers
import Settings
import Testing
import Tools
import VoiceTesting
@testable import Calls

/// A fake OpenAI-compatible server: Whisper-style transcription, streamed chat, PCM speech.
struct FakeOpenAI {
    let server: LoopbackHTTPServer

    /// `transcripts` are returned in turn; a chat turn whose conversation mentions "transfer"
    /// calls the transfer tool once. `chat` answers a chat request's body with its stream's
    /// chunks instead, where it returns any.
    init(transcripts: [String], chatFailsFirst: Bool = false, chat: (@Sendable (String) -> [String]?)? = nil) async throws {
        let transcriptIndex = Counter()
        let chatCalls = Counter()
        server = try await LoopbackHTTPServer { request in
            switch request.path {
            case "/v1/audio/transcriptions":
                let index = transcriptIndex.next()
                return .json(200, #"{"text":"\#(transcripts[min(index, transcripts.count - 1)])"}"#)
            case "/v1/chat/completions":
                if chatFailsFirst, chatCalls.next() == 0 { return .json(500, #"{"error":{"message":"overloaded"}}"#) }
                let body = String(decoding: request.body, as: UTF8.self)
                if let chunks = chat?(body) { return FakeOpenAI.stream(chunks) }
                let wantsTransfer = body.contains("transfer me") && !body.contains("\"role\":\"tool\"")
                return FakeOpenAI.stream(wantsTransfer ? Self.transferChunks : Self.replyChunks(for: body))
            case "/v1/audio/speech":
                // 24 kHz 16-bit little-endian mono: a tone that depends on the text (``tone(for:)``),
                // 40 ms per character of input, so "the caller heard the answer" means that answer.
                let input = (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any])?["input"] as? String ?? ""
                let frequency = FakeOpenAI.tone(for: input)
                let samples = (0..<(24 * 40 * max(input.count, 10))).map { Int16(9000 * sin(2 * Double.pi * frequency * Double($0) / 24000)) }
                let bytes = samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
                return .init(status: 200, headers: [("Content-Type", "audio/pcm")], body: Data(bytes))
            default:
                return .json(404, #"{"error":{"message":"no route"}}"#)
            }
        }
    }

    var baseURL: String { server.baseURL.absoluteString + "/v1" }

    /// A caller asks "What time do you open" after the greeting; returns what they heard after
    /// asking (the greeting plays first, so the answer's tone is looked for after the question).
    static func askWhenTheyOpen(_ harness: CallHarness) async throws -> [Int16] {
        let question = try SynthesizedSpeech.samples("What time do you open")
        let phone = harness.simulator.placeCall(
            from: "1001", to: "100", script: [.pause(.seconds(3)), .mark("asked"), .say(question), .pause(.seconds(5)), .hangUp])
        #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
        let recording = phone.recording
        let asked = try #require(recording.marks["asked"])
        let afterQuestion = Int((asked + .seconds(Double(question.count) / 8000)) / .milliseconds(1)) * 8
        return Array(recording.samples.dropFirst(afterQuestion))
    }

    /// The tone the fake speaks `text` as: one of twelve, 480 to 1360 Hz, chosen by its first
    /// word, so a reply split into sentences still sounds mostly of its first word's tone.
    static func tone(for text: String) -> Double {
        let word = text.split(whereSeparator: { !$0.isLetter }).first.map { $0.lowercased() } ?? ""
        let hash = word.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 9973 }
        return 480 + Double(hash % 12) * 80
    }

    static func replyChunks(for body: String) -> [String] {
        let text = body.contains("open") ? "We open at nine. See you soon." : "Hello! How can I help you?"
        return [#"{"choices":[{"index":0,"delta":{"role":"assistant"}}]}"#]
            + text.split(separator: " ").map { #"{"choices":[{"index":0,"delta":{"content":"\#($0) "}}]}"# }
            + [#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#]
    }

    static let transferChunks = [
        #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"transfer_call","arguments":""}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"destination\":"}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"PJSIP/1002\"}"}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
    ]

    static func stream(_ chunks: [String]) -> LoopbackHTTPServer.Response {
        let pieces = chunks.map { Data("data: \($0)\n\n".utf8) } + [Data("data: [DONE]\n\n".utf8)]
        return .init(status: 200, headers: [("Content-Type", "text/event-stream")], fault: .chunked(pieces: pieces, pause: .milliseconds(5)))
    }

    final class Counter: Sendable {
        private let value = Synchronization.Mutex(0)
        func next() -> Int { value.withLock { value in defer { value += 1 }; return value } }
    }
}

import Synchronization

@Suite("AI bot calls through the simulator", .timeLimit(.minutes(2)))
struct AIBotCallTests {
    static func providers(_ fake: FakeOpenAI, llmChain: String = "openai", retries: Int = 2, tools: ToolShelf? = nil) throws -> ProviderFactory {
        let configuration = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_BOT": "llm",
            "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": "sk-test", "LOCAL_BASE_URL": fake.baseURL,
            "LLM_PROVIDERS": llmChain, "STT_PROVIDERS": "openai", "TTS_PROVIDERS": "openai", "TTS_FORMAT": "pcm",
            "PROVIDER_MAX_RETRIES": "\(retries)",
        ])
        return try ProviderFactory(settings: configuration.ai, tools: tools)
    }

    @Test func callerAsksAndHearsTheAnswer() async throws {
        let fake = try await FakeOpenAI(transcripts: ["What time do you open?"])
        defer { fake.server.shutdown() }
        let providers = try Self.providers(fake)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let answer = try await FakeOpenAI.askWhenTheyOpen(harness)
            #expect(FakeOpenAI.tone(for: "We open at nine.") != FakeOpenAI.tone(for: "Hello! How can I help you?"))
            #expect(
                ToneDetector.energy(at: FakeOpenAI.tone(for: "We open at nine."), in: answer, sampleRate: 8000) > 0.2,
                "the answer to the question after it")
            let requests = fake.server.requests.map(\.path)
            #expect(requests.contains("/v1/audio/transcriptions"))
            #expect(requests.filter { $0 == "/v1/chat/completions" }.count >= 2)
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        #expect(!providers.totalCost.report().usage.isEmpty)
    }

    @Test func transferToolEndsInARedirect() async throws {
        let fake = try await FakeOpenAI(transcripts: ["please transfer me to a person"])
        defer { fake.server.shutdown() }
        let providers = try Self.providers(fake)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let request = try SynthesizedSpeech.samples("please transfer me to a person")
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .say(request), .pause(.seconds(20))])
            #expect(await phone.waitUntilEnded(timeout: .seconds(30)))
            #expect(phone.transferTarget == "PJSIP/1002")
            #expect(await harness.waitUntil { harness.service.counters.outcomes["transferred"] == 1 }, "\(harness.service.counters.outcomes)")
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
    }

    @Test func theFallbackChainAnswersWhenTheFirstBrainFails() async throws {
        let fake = try await FakeOpenAI(transcripts: ["What time do you open?"], chatFailsFirst: true)
        defer { fake.server.shutdown() }
        // Without retries the first brain's failure can only be answered by the second.
        let providers = try Self.providers(fake, llmChain: "openai,local", retries: 0)
        defer { providers.shutdown() }
        let bots = BotCatalog(loopbackDelay: .zero, providers: providers, logger: Logger(label: "test.bots"))
        try await CallHarness.run(defaultBot: .llm, bots: bots) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(3)), .hangUp])
            #expect(await phone.waitUntilEnded(timeout: .seconds(20)))
            let greeting = FakeOpenAI.tone(for: "Hello! How can I help you?")
            #expect(greeting != FakeOpenAI.tone(for: "Sorry, I had a problem just now."), "the greeting sounds unlike an apology")
            #expect(ToneDetector.energy(at: greeting, in: phone.recording.samples, sampleRate: 8000) > 0.2, "the greeting came from the fallback")
        }
        #expect(providers.stats.value("llm:openai:gpt-4o-mini", "fallback") == 1, "\(providers.stats.snapshot())")
    }
}

/// Share of a signal's energy at one frequency (Goertzel), 0...1.
enum ToneDetector {
    static func energy(at frequency: Double, in samples: [Int16], sampleRate: Int) -> Double {
        guard samples.count > 400 else { return 0 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var best = 0.0
        // Best 100 ms block: the tone need not fill the whole recording.
        for start in stride(from: 0, to: samples.count - 800, by: 400) {
            var s1 = 0.0, s2 = 0.0, total = 0.0
            for sample in samples[start..<start + 800] {
                let x = Double(sample)
                let s0 = x + coefficient * s1 - s2
                s2 = s1
                s1 = s0
                total += x * x
            }
            let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
            if total > 1e6 { best = max(best, power / (total * 800 / 2)) }
        }
        return best
    }
}
