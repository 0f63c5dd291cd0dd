import Logging
import Synchronization
import Testing
import VoiceTesting
@testable import Voice

/// What a caller says or keys (card numbers, health) stays out of logs unless LOG_TRANSCRIPTS=on.
@Suite("Transcripts in logs")
struct TranscriptPrivacyTests {
    final class Captured: Sendable {
        let lines = Mutex<[Logger.Metadata]>([])
        struct Handler: LogHandler {
            let captured: Captured
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                var all = metadata.merging(event.metadata ?? [:]) { $1 }
                all["message"] = "\(event.message)"
                captured.lines.withLock { $0.append(all) }
            }
        }
        var logger: Logger { Logger(label: "test.pipeline") { _ in Handler(captured: self) } }
    }

    @Test(arguments: [false, true])
    func keyedDigitsReachTheTurnLogOnlyWhenAllowed(logTranscripts: Bool) async throws {
        let captured = Captured()
        var settings = ConversationSettings()
        settings.logTranscripts = logTranscripts
        let brain = ScriptedBrain { input, _ in input == .greeting ? [.text("Hi.")] : [.text("Thanks.")] }
        let run = PipelineRun.make(
            recognizer: ScriptedRecognizer(script: []), brain: brain,
            synthesizer: ScriptedSynthesizer(sampleRate: 8000, durationPerCharacter: .milliseconds(10)), settings: settings,
            logger: captured.logger)
        _ = await run.play(callerAudio: [], duration: .seconds(2), events: [(.milliseconds(600), { $0.dtmf("9") })])
        let turns = captured.lines.withLock { $0 }.filter { $0["message"] == "turn" && $0["input"] == "dtmf" }
        try #require(turns.count == 1, "\(captured.lines.withLock { $0 })")
        #expect(turns[0]["text"] == (logTranscripts ? "9" : nil))
        #expect(run.observer.turns.map(\.input).contains("dtmf"))
        #expect(!run.observer.turns.map(\.input).contains { $0.contains("9") })
    }
}
