import Audio
import AsteriskSimulator
import Foundation
import Media
import Testing
@testable import Calls

/// Callers as real lines deliver them through Asterisk (captures/README.md, last section): their
/// own ptime, timestamps that jump while sequence numbers run on, a new RTP source mid-call,
/// silence suppression. The loopback bot returns what it was given, so what the phone hears
/// shows whether ura's receive path kept the audio whole; the call's RTP statistics must show a
/// clean line as clean. Re-anchoring playout may insert a little silence (the buffer restores its
/// cushion after the sender fell behind); it must never skip audio.
@Suite("Calls from real phone lines", .timeLimit(.minutes(2)))
struct PhoneLineCallTests {
    struct Result {
        var ptime: Int
        var scores: [Double]
        var continuity: (heard: Double, largestSkip: Duration, delayGrowth: Duration)
        var statistics: RTPStatistics
    }

    /// Places one loopback call per line at once, lets each say `speech`, and returns what each heard
    /// (per half-second correlations) and its call's inbound statistics.
    static func callThrough(_ lines: [PhoneLine], speech: [Int16], format: Audio.AudioFormat = .ulaw) async throws -> [Result] {
        var results: [Result] = []
        try await CallHarness.run(format: format) { harness in
            let phones = lines.enumerated().map { index, line in
                harness.simulator.placeCall(
                    from: "10\(index)", to: "100", script: [.pause(.milliseconds(300)), .say(speech), .pause(.milliseconds(900))],
                    line: line)
            }
            for phone in phones { #expect(await phone.waitUntilScriptFinished(timeout: .seconds(20))) }
            var statistics: [RTPStatistics] = []
            for phone in phones {
                let session = try #require(harness.service.activeCalls.first { $0.caller.id.rawValue == phone.channelID })
                statistics.append(try #require(session.status.media?.statistics))
                phone.hangUp()
            }
            for (index, (phone, line)) in zip(phones, lines).enumerated() {
                #expect(await phone.waitUntilEnded())
                let statistics = statistics[index]
                let recording = phone.recording.samples
                let scores = TestSignal.windowedCorrelations(of: speech, in: recording, windowSeconds: 0.5, sampleRate: 8000)
                let continuity = TestSignal.continuity(of: speech, in: recording)
                results.append(Result(ptime: Int(line.ptime / .milliseconds(1)), scores: scores, continuity: continuity, statistics: statistics))
            }
            #expect(await harness.waitUntil { harness.isClean }, "\(harness.diagnosis)")
        }
        return results
    }

    @Test func everyPtimeWithTimestampJumpsAndASourceChangeArrivesWholeAndClean() async throws {
        let speech = TestSignal.speechLike(seconds: 4)
        // A replay's jump back (as captured), a jump forward, then a new source, on every line.
        let lines = [10, 20, 30, 40, 60].map { ptime in
            PhoneLine(
                ptime: .milliseconds(ptime),
                timestampJumps: [.init(at: .milliseconds(1300), by: -56400), .init(at: .milliseconds(2500), by: 24000)],
                sourceChanges: [.milliseconds(3500)])
        }
        for result in try await Self.callThrough(lines, speech: speech) {
            let statistics = result.statistics
            #expect(statistics.late == 0 && statistics.lost == 0 && statistics.discarded == 0, "ptime \(result.ptime): \(statistics)")
            #expect(statistics.timestampJumps == 2, "ptime \(result.ptime): \(statistics)")
            #expect(statistics.sourceChanges == 1, "ptime \(result.ptime)")
            // A jump read as transit time would be hundreds of milliseconds of jitter.
            #expect(statistics.jitterMilliseconds < 30, "ptime \(result.ptime): jitter \(statistics.jitterMilliseconds) ms")
            // The speech came back in order with nothing skipped (the smallest packet is 10 ms);
            // the delays the phone added at its jumps (25 ms each) may cost a re-anchor of at most
            // a window each, and the 50 ms chunks around such a gap match less well.
            let continuity = result.continuity
            #expect(continuity.heard > 0.85, "ptime \(result.ptime): \(continuity)")
            #expect(continuity.largestSkip < .milliseconds(8), "ptime \(result.ptime): \(continuity)")
            #expect(continuity.delayGrowth <= .milliseconds(250), "ptime \(result.ptime): \(continuity)")
            #expect(result.scores[result.scores.count / 2] > 0.9, "ptime \(result.ptime): \(result.scores)")
        }
    }

    @Test func silenceSuppressionLosesNothingAndKeepsThePause() async throws {
        let word = TestSignal.speechLike(seconds: 1)
        // Two words with a second of digital silence between them, which the phone does not send.
        let speech = word + [Int16](repeating: 0, count: 8000) + word
        let results = try await Self.callThrough([PhoneLine(ptime: .milliseconds(30), silenceSuppression: true)], speech: speech)
        let result = try #require(results.first)
        #expect(result.statistics.late == 0 && result.statistics.lost == 0, "\(result.statistics)")
        #expect(result.statistics.received < (speech.count - 8000) / 240 + 20, "the pause was not sent: \(result.statistics)")
        let continuity = result.continuity
        #expect(continuity.heard > 0.85 && continuity.largestSkip < .milliseconds(8), "\(continuity)")
        // The pause itself is kept: the second word comes back a second after the first, not sooner.
        #expect(continuity.delayGrowth >= .zero && continuity.delayGrowth <= .milliseconds(150), "\(continuity)")
    }
}


