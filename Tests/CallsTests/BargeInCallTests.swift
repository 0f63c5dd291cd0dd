import AsteriskSimulator
import Foundation
import Logging
import Synchronization
import Testing
import Voice
import VoiceTesting
import CallsTesting
@testable import Calls

/// Real speech for the bot, so its echo sounds like speech to the detector.
struct SpeakingSynthesizer: SpeechSynthesizer {
    let sampleRate = 8000
    let name = "espeak-test"

    func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        AsyncThrowingStream { continuation in
            do {
                let samples = try SynthesizedSpeech.samples(text)
                for start in stride(from: 0, to: samples.count, by: 160) {
                    continuation.yield(Array(samples[start..<min(start + 160, samples.count)]))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }
}

@Suite("Barge-in through the simulator", .timeLimit(.minutes(2)))
struct BargeInCallTests {
    static let greeting = "Thank you for calling the clinic. Our opening hours are from nine in the morning to six in the evening."

    @Test func theBotsOwnEchoNeverInterruptsIt() async throws {
        let bots = ScriptedBots(greeting: Self.greeting, synthesizer: { SpeakingSynthesizer() })
        try await CallHarness.run(defaultBot: .echo, bots: bots) { harness in
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", script: [.pause(.seconds(8)), .hangUp], impairments: Impairments(lineEcho: true))
            #expect(await phone.waitUntilEnded(timeout: .seconds(20)))
            #expect(bots.observer.acceptedBargeIns == 0)
            // The whole greeting reached the caller.
            let full = try SynthesizedSpeech.samples(Self.greeting)
            let heard = phone.recording.samples.filter { abs(Int($0)) > 300 }.count
            let spoken = full.filter { abs(Int($0)) > 300 }.count
            #expect(Double(heard) > Double(spoken) * 0.9, "heard \(heard) of \(spoken) voiced samples")
        }
    }

    /// The usual −20 dB echo with the level rule alone, and −8 dB with line noise with the echo
    /// canceller on (which must keep the caller while it takes the bot out).
    @Test(arguments: [
        (Impairments(lineEcho: true), false),
        (Impairments(lineEcho: true, echoGain: 0.4, echoDelay: .milliseconds(120), noiseLevel: -50, seed: 7), true),
    ])
    func callerSpeechStopsTheBotQuicklyDespiteEcho(line: Impairments, cancellingEcho: Bool) async throws {
        var settings = ConversationSettings()
        settings.echoCancellation = cancellingEcho
        let bots = ScriptedBots(greeting: Self.greeting, settings: settings, synthesizer: { SpeakingSynthesizer() })
        let speech = try SynthesizedSpeech.samples("wait a moment please")
        try await CallHarness.run(defaultBot: .echo, bots: bots) { harness in
            let phone = harness.simulator.placeCall(
                from: "1001", to: "100", script: [.pause(.seconds(2)), .mark("talk"), .say(speech), .pause(.seconds(3)), .hangUp],
                impairments: line)
            #expect(await phone.waitUntilEnded(timeout: .seconds(20)))
            #expect(bots.observer.acceptedBargeIns >= 1)
            let recording = phone.recording
            let talk = try #require(recording.marks["talk"])
            // The last chunk of bot audio the caller received after they started talking.
            let lastBotChunk = recording.chunks
                .filter { $0.arrival > talk && $0.arrival < talk + .seconds(2) }
                .filter { chunk in recording.samples[chunk.sampleOffset..<chunk.sampleOffset + chunk.sampleCount].contains { abs(Int($0)) > 1000 } }
                .map(\.arrival).max()
            let stop = (lastBotChunk ?? talk) - talk
            #expect(stop < .milliseconds(800), "bot audio kept coming for \(stop) after the caller began")
        }
    }

    /// Return loss of 6, 8 and 10 dB (the bot comes back almost as loud as a caller) on a line
    /// with noise: the level rule alone takes such echo for a caller; the echo canceller must
    /// leave the bot uninterrupted and the greeting whole.
    @Test func loudEchoOnANoisyLineNeverInterruptsTheBot() async throws {
        var settings = ConversationSettings()
        settings.echoCancellation = Self.cancellingEcho
        let bots = ScriptedBots(greeting: Self.greeting, settings: settings, synthesizer: { SpeakingSynthesizer() })
        try await CallHarness.run(defaultBot: .echo, bots: bots) { harness in
            let phones = [(0.5, 40), (0.4, 120), (0.316, 200)].enumerated().map { index, line in
                harness.simulator.placeCall(
                    from: "10\(index)", to: "100", script: [.pause(.seconds(8)), .hangUp],
                    impairments: Impairments(lineEcho: true, echoGain: line.0, echoDelay: .milliseconds(line.1), noiseLevel: -50, seed: 7))
            }
            for phone in phones { #expect(await phone.waitUntilEnded(timeout: .seconds(20))) }
            #expect(bots.observer.acceptedBargeIns == 0)
            let full = try SynthesizedSpeech.samples(Self.greeting)
            let spoken = full.filter { abs(Int($0)) > 300 }.count
            for phone in phones {
                let heard = phone.recording.samples.filter { abs(Int($0)) > 300 }.count
                #expect(Double(heard) > Double(spoken) * 0.9, "heard \(heard) of \(spoken) voiced samples")
            }
        }
    }
    /// `URA_TEST_NO_AEC=1` runs it without the canceller, to see it fail (false barge-ins, greetings cut).
    static let cancellingEcho = ProcessInfo.processInfo.environment["URA_TEST_NO_AEC"] == nil
}
