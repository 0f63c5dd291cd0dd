import Foundation
import Synchronization
import Voice

/// A synthesiser that renders text as a tone, `durationPerCharacter` long per character.
///
/// The tone makes the audio easy to find in a recording and its length tells how much text a
/// caller heard. Chunks are 20 ms; the first comes after `firstChunkDelay`, later ones at
/// `realTimeFactor` of real time (0: as fast as possible).
public final class ScriptedSynthesizer: SpeechSynthesizer {
    public let sampleRate: Int
    public let name = "scripted"
    private let durationPerCharacter: Duration
    private let firstChunkDelay: Duration
    private let realTimeFactor: Double
    private let frequency: Double
    private let failure: (any Error & Sendable)?
    private let texts = Mutex<[String]>([])

    public init(
        sampleRate: Int = 8000, durationPerCharacter: Duration = .milliseconds(50), firstChunkDelay: Duration = .zero,
        realTimeFactor: Double = 0, frequency: Double = 440, failure: (any Error & Sendable)? = nil
    ) {
        self.sampleRate = sampleRate
        self.durationPerCharacter = durationPerCharacter
        self.firstChunkDelay = firstChunkDelay
        self.realTimeFactor = realTimeFactor
        self.frequency = frequency
        self.failure = failure
    }

    /// Every text asked for, in order.
    public var synthesized: [String] { texts.withLock { $0 } }

    /// Samples the synthesiser produces for `text`.
    public func sampleCount(for text: String) -> Int {
        let secondsPerCharacter: Double = durationPerCharacter / Duration.seconds(1)
        return Int(Double(text.count) * secondsPerCharacter * Double(sampleRate))
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        texts.withLock { $0.append(text) }
        let total = sampleCount(for: text)
        let chunk = sampleRate / 50
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        let time = FakeTime.current
        return time.stream { [self] continuation in
            try await time.wait(firstChunkDelay)
            if let failure { throw failure }
            for start in stride(from: 0, to: total, by: chunk) {
                if start > 0, realTimeFactor > 0 { try await time.wait(.milliseconds(20) * realTimeFactor) }
                continuation.yield((start..<min(start + chunk, total)).map { Int16(8000 * sin(Double($0) * step)) })
            }
        }
    }
}
