import Audio
import ArgumentParser
import AsteriskSimulator
import Bots
import Flows
import Calls
import Foundation
import HTTP
import Logging
import Media
import OfflineSpeech
import Providers
import ServiceLifecycle
import Settings
import StructuredLogging
import Synchronization
import Voice

/// `ura demo`: a whole call without an Asterisk, keys or network.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hear ura without an Asterisk: a simulated PBX and caller talk to the bot.",
        discussion: """
            Starts a simulated Asterisk in this process, places a call from a synthetic caller who \
            speaks the given lines (flite or espeak-ng), and prints the conversation with per-turn latencies. \
            What the caller heard is saved as a WAV file. The default bot is the example English \
            flow, offline; `--bot loopback` is the media diagnostic and `--bot llm` uses the AI \
            providers configured in the environment.
            """
    )

    @Option(help: ArgumentHelp(
        "Which bot answers: loopback, echo, flow:<name> (a flow in FLOWS_DIR), llm (default: the shipped English flow when present, else loopback).",
        valueName: "bot"))
    var bot: String?

    @Option(name: .customLong("line"), help: ArgumentHelp("A line the caller says (repeatable).", valueName: "text"))
    var lines: [String] = []

    @Option(help: ArgumentHelp("Language the caller speaks (en-US, pt-BR).", valueName: "language"))
    var language = "en-US"

    @Option(help: ArgumentHelp("Where to save what the caller heard.", valueName: "path"))
    var record = "ura-demo.wav"

    @Option(help: ArgumentHelp(
        "Milliseconds of audio per packet the caller's phone sends (10 to 120); Asterisk passes it on as it is.",
        valueName: "ms"))
    var ptime = 20

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        LoggingSystem.bootstrapURA(style: .text, level: .warning)
        let flowsDirectory = ProcessInfo.processInfo.environment["FLOWS_DIR"] ?? "flows"
        let bot = self.bot ?? (Configuration.flowFile(named: Configuration.shippedFlow, in: flowsDirectory) != nil
            ? "flow:" + Configuration.shippedFlow : "loopback")
        let choice: BotChoice
        do {
            choice = try BotChoice(parsing: bot, variable: "--bot")
        } catch {
            print("ura demo: \(error)")
            throw ExitCode(2)
        }
        guard (10...120).contains(ptime) else {
            print("ura demo: --ptime must be 10 to 120 milliseconds, got \(ptime) (example: --ptime 30)")
            throw ExitCode(2)
        }
        let line = PhoneLine(ptime: .milliseconds(ptime))
        let said = lines.isEmpty ? Self.defaultLines(for: choice) : lines
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { simulator.stop() }

        var environment = ProcessInfo.processInfo.environment
        environment["ARI_URL"] = "http://127.0.0.1:\(simulator.port)"
        environment["ARI_USERNAME"] = simulator.username
        environment["ARI_PASSWORD"] = simulator.password
        environment["URA_BOT"] = bot
        environment["MEDIA_BIND_ADDRESS"] = "127.0.0.1"
        let config: Configuration
        do {
            config = try Configuration.load(environment: environment)
        } catch {
            print("ura demo: configuration error: \(error)")
            throw ExitCode(2)
        }

        let printer = ConversationPrinter()
        let turns = DemoTurns()
        let http = HTTPClient(name: "ura-demo-ari")
        defer { http.shutdown() }
        let engine = try config.makeMediaEngine()
        try engine.start()
        defer { engine.stop() }
        let flows: FlowLibrary
        do {
            flows = try config.loadFlows()
        } catch {
            print("ura demo: configuration error: \(error)")
            throw ExitCode(2)
        }
        let transfers = config.makeTransferAllowList(flows: flows)
        let providers: ProviderFactory
        do {
            providers = try await config.makeProviders(transfers: transfers, tools: nil)
        } catch {
            print("ura demo: \(error)")
            throw ExitCode(1)
        }
        defer { providers.shutdown() }
        let bots = BotCatalog(
            loopbackDelay: .milliseconds(config.media.loopbackDelayMilliseconds), providers: providers,
            conversation: config.conversationSettings, offlineBrains: BotCatalog.offlineBrains(from: flows),
            observers: { _ in printer.listening = { turns.next() }; return printer }, logger: Logger(label: "ura.voice"))
        let calls = CallService(
            ari: config.makeARIClient(server: 0, http: http, logger: Logger(label: "ura.ari")), connection: config.makeEventConnection(server: 0),
            engine: engine, settings: config.callSettings(transfers: transfers), shutdown: .init(drain: .seconds(1), remainingCalls: .hangup),
            bots: bots, logger: Logger(label: "ura.calls"))

        print("ura demo: simulated Asterisk on 127.0.0.1:\(simulator.port), bot \(choice)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            let group2 = ServiceGroup(services: [calls], gracefulShutdownSignals: [], cancellationSignals: [.sigint], logger: Logger(label: "ura"))
            group.addTask { try await group2.run() }
            while !(calls.isConnected && simulator.registeredApps.contains("ura")) { try await Task.sleep(for: .milliseconds(20)) }
            // The caller speaks with the offline voices too: flite's kal for English (the bot speaks
            // with slt, and the offline recogniser was tuned on flite), espeak-ng otherwise.
            let callerVoice = OfflineSynthesizer(sampleRate: 8000, englishVoice: .kal)
            var speeches: [[Int16]] = []
            for line in said {
                var samples: [Int16] = []
                for try await chunk in callerVoice.synthesize(line, language: language) { samples += chunk }
                speeches.append(samples)
            }
            let phone: SyntheticCaller
            if choice == .loopback {
                // No conversation to wait for: say the lines one after the other.
                var script: [CallerStep] = [.pause(.seconds(1))]
                for (index, speech) in speeches.enumerated() { script += [.mark("line\(index)"), .say(speech), .pause(.seconds(2))] }
                phone = simulator.placeCall(from: "1001", to: "100", stasisArgs: [], script: script + [.hangUp], line: line)
            } else {
                // A polite caller: each line when the bot has finished and listens; hangs up after the last answer.
                phone = simulator.placeCall(from: "1001", to: "100", stasisArgs: [], script: [], line: line)
                turns.start(phone: phone, speeches: speeches)
            }
            var printed = 0
            while phone.status != .ended, phone.status != .failedToDialplan {
                let marks = phone.recording.marks
                while printed < said.count, marks["line\(printed)"] != nil {
                    print("caller: \(said[printed])")
                    printed += 1
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let recording = phone.recording
            try WAV.write(recording.samples, sampleRate: recording.sampleRate, to: URL(fileURLWithPath: record))
            let heard = Double(recording.samples.filter { abs(Int($0)) > 300 }.count) / Double(recording.sampleRate)
            print(String(format: "ura demo: call over; the caller heard %.1f s of audio, saved in %@", heard, record))
            await group2.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    static func defaultLines(for bot: BotChoice) -> [String] {
        switch bot {
        case .loopback: ["Hello, this is a test of the loopback.", "Can you hear me now?"]
        case .echo: ["hello", "goodbye"]
        case .flow: ["opening hours", "no thanks"]
        case .llm, .realtime: ["What time do you open tomorrow?", "Thank you, goodbye."]
        }
    }
}

/// Feeds the demo caller's lines one per turn.
final class DemoTurns: Sendable {
    private let state = Mutex<(phone: SyntheticCaller?, speeches: [[Int16]], index: Int)>((nil, [], 0))

    func start(phone: SyntheticCaller, speeches: [[Int16]]) {
        state.withLock { $0 = (phone, speeches, 0) }
    }

    /// The bot listens: say the next line, or hang up after the last one was answered.
    func next() {
        let (phone, step): (SyntheticCaller?, [CallerStep]) = state.withLock { state in
            guard let phone = state.phone else { return (nil, []) }
            defer { state.index += 1 }
            if state.index < state.speeches.count {
                return (phone, [.pause(.milliseconds(500)), .mark("line\(state.index)"), .say(state.speeches[state.index])])
            }
            return (phone, state.index == state.speeches.count ? [.pause(.milliseconds(500)), .hangUp] : [])
        }
        if let phone, !step.isEmpty { phone.enqueue(step) }
    }
}

/// Prints what the bot heard, said and how long it took, as the conversation goes.
final class ConversationPrinter: ConversationObserver, @unchecked Sendable {
    // @unchecked: `listening` is set once, before the call starts, and only read afterwards.
    var listening: @Sendable () -> Void = {}

    func transcript(_ text: String, isFinal: Bool) { if isFinal { print("  ura heard: \(text.isEmpty ? "(nothing it expected)" : text)") } }
    func botSaid(_ text: String, interrupted: Bool) { print("bot: \(text)\(interrupted ? " [interrupted]" : "")") }
    func stateChanged(_ state: TurnTaking.State) { if state == .listening { listening() } }
    func bargeIn(accepted: Bool) { if accepted { print("  (barge-in)") } }
    func turnCompleted(_ timings: TurnTimings) {
        let stages = timings.millisecondsByStage.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if !stages.isEmpty { print("  turn \(timings.turn): \(stages)") }
    }
}
