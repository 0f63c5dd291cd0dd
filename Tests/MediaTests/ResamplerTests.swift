@testable import Audio
import Testing
@testable import Media

@Suite("Resampler")
struct ResamplerTests {
    static let rates: [SampleRate] = [.hz8000, .hz16000, .hz22050, .hz24000, .hz48000]
    static let pairs: [(SampleRate, SampleRate)] = rates.flatMap { from in rates.filter { $0 != from }.map { (from, $0) } }

    @Test("streaming 20 ms chunks loses no samples", arguments: pairs)
    func countsFollowTheRatio(pair: (SampleRate, SampleRate)) throws {
        let (from, to) = pair
        let resampler = try Resampler(from: from, to: to)
        let chunk = [Int16](repeating: 100, count: from.samplesPerFrame)
        var produced = 0
        var perChunk = Set<Int>()
        let chunks = 500
        for _ in 0..<chunks {
            let output = resampler.process(chunk)
            perChunk.insert(output.count)
            produced += output.count
        }
        let expected = chunks * to.samplesPerFrame
        #expect(abs(produced - expected) <= 2, "\(from) → \(to): \(produced) samples for \(expected) expected")
        #expect(perChunk.allSatisfy { abs($0 - to.samplesPerFrame) <= 2 })
    }

    @Test("a tone keeps its frequency", arguments: [(SampleRate.hz8000, SampleRate.hz16000), (.hz16000, .hz8000), (.hz22050, .hz16000), (.hz48000, .hz8000), (.hz24000, .hz48000)])
    func toneKeepsFrequency(pair: (SampleRate, SampleRate)) throws {
        let (from, to) = pair
        let resampler = try Resampler(from: from, to: to)
        let input = TestSignals.sine(frequency: 440, sampleRate: from.hertz, count: from.hertz)
        var output: [Int16] = []
        var start = 0
        while start < input.count {
            let end = min(input.count, start + from.samplesPerFrame)
            output += resampler.process(Array(input[start..<end]))
            start = end
        }
        let settled = output[(to.hertz / 10)...]
        let frequency = TestSignals.zeroCrossingFrequency(settled, sampleRate: to.hertz)
        #expect(abs(frequency - 440) < 1, "\(from) → \(to): \(frequency) Hz")
        #expect(abs(TestSignals.rms(settled) - 10000 / 2.0.squareRoot()) < 500)
    }

    @Test("equal rates pass samples through")
    func passThrough() throws {
        let resampler = try Resampler(from: .hz16000, to: .hz16000)
        let input = TestSignals.sine(frequency: 300, sampleRate: 16000, count: 320)
        #expect(resampler.process(input) == input)
        let chunk = resampler.process(PCMChunk(samples: input, sampleRate: .hz16000))
        #expect(chunk.sampleRate == .hz16000)
        #expect(resampler.outputLatency == 0)
    }

    @Test("quality outside 0...10 is refused", arguments: [-1, 11])
    func invalidQuality(quality: Int) {
        #expect(throws: ResamplerError.invalidQuality(quality)) { try Resampler(from: .hz8000, to: .hz16000, quality: quality) }
    }

    @Test("reset forgets the filter history")
    func reset() throws {
        let resampler = try Resampler(from: .hz8000, to: .hz16000)
        let input = TestSignals.sine(frequency: 440, sampleRate: 8000, count: 160)
        let first = resampler.process(input)
        #expect(resampler.process(input) != first)
        resampler.reset()
        #expect(resampler.process(input) == first)
    }
}
