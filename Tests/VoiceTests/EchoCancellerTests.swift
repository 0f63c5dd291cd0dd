import Foundation
import Randomness
import Testing
@testable import Voice

@Suite("Echo canceller")
struct EchoCancellerTests {
    /// Speech-like far end: noise bursts a quarter second long with pauses between.
    static func botAudio(seconds: Int) -> [Int16] {
        var generator = SeededRandom(seed: 42)
        return (0..<8000 * seconds).map { index in
            index / 2000 % 3 == 2 ? 0 : Int16(truncatingIfNeeded: Int(generator.next() % 8001) - 4000)
        }
    }

    static func energy(_ samples: ArraySlice<Int16>) -> Double {
        samples.reduce(0) { $0 + Double($1) * Double($1) }
    }

    @Test func removesTheBotsEchoFromTheLine() throws {
        let canceller = try #require(EchoCanceller(sampleRate: 8000))
        let bot = Self.botAudio(seconds: 6)
        let start = ContinuousClock.now
        var before: [Double] = [], after: [Double] = []
        for frame in 0..<bot.count / 160 {
            let due = start + .milliseconds(20 * frame)
            canceller.botWillPlay(Array(bot[frame * 160..<(frame + 1) * 160]), at: due)
            // The line returns it 100 ms later, 8 dB down.
            var line = (0..<160).map { offset -> Int16 in
                let index = frame * 160 + offset - 800
                return index >= 0 ? Int16(Double(bot[index]) * 0.4) : 0
            }
            before.append(Self.energy(line[...]))
            canceller.cancel(&line, at: due)
            after.append(Self.energy(line[...]))
        }
        #expect(canceller.failures == 0)
        // After two seconds of convergence the noise-like echo is well down (20 dB measured; 0 without the canceller).
        let reduction = 10 * log10(before[100...].reduce(0, +) / max(1, after[100...].reduce(0, +)))
        #expect(reduction > 12, "echo reduced by \(reduction) dB")
    }

    @Test func leavesTheCallerAloneWhileTheBotIsQuiet() throws {
        let canceller = try #require(EchoCanceller(sampleRate: 8000))
        let caller = Self.botAudio(seconds: 2)
        var kept = 0.0, total = 0.0
        let start = ContinuousClock.now
        for frame in 0..<caller.count / 160 {
            var line = Array(caller[frame * 160..<(frame + 1) * 160])
            total += Self.energy(line[...])
            canceller.cancel(&line, at: start + .milliseconds(20 * frame))
            kept += Self.energy(line[...])
        }
        let loss = 10 * log10(total / max(1, kept))
        #expect(loss < 3, "caller dimmed by \(loss) dB")
    }

    @Test func refusesRatesItCannotCancel() {
        #expect(EchoCanceller(sampleRate: 8000) != nil)
        #expect(EchoCanceller(sampleRate: 16000) != nil)
        #expect(EchoCanceller(sampleRate: 48000) == nil)
    }
}
