import ARI
import Bots
import CallOperations
import CallRecords
import Media
import OperatorAPI
import Voice
import AsteriskSimulator
import Foundation
import HTTP
import Logging
@testable import Calls

/// Plays a previous ura process that died mid-call without cleaning up.
enum CrashedRun {
    /// The id the dead run gave its call.
    static let callID = "ura-dead00000000"

    struct Leftovers {
        var caller: String
        var callerChannel: Channel
        var bridge: String
        var mediaChannel: String
    }

    static func leaveLeftovers(on simulator: SimulatedAsterisk) async throws -> Leftovers {
        let url = URL(string: "http://127.0.0.1:\(simulator.port)")!
        let http = HTTPClient(name: "crashed-run")
        defer { http.shutdown() }
        let ari = ARIClient(configuration: .init(url: url, username: simulator.username, password: simulator.password), httpClient: http, logger: Logger(label: "crashed"))
        var settings = WebSocketSettings.fast
        settings.url = url
        let connection = ARIEventConnection(
            baseURL: url, applications: [CallHarness.application], username: simulator.username, password: simulator.password,
            configuration: settings)
        connection.start()
        var caller: Channel?
        var elements = connection.elements.makeAsyncIterator()
        while let element = await elements.next() {
            if case .connected = element {
                // The client may see the handshake finish a moment before the app is registered.
                let deadline = ContinuousClock.now + .seconds(5)
                while !simulator.registeredApps.contains(CallHarness.application), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                _ = simulator.placeCall(from: "1009", to: "100", script: [.pause(.seconds(60))])
            }
            if case .event(let envelope) = element, case .stasisStart(let start) = envelope.event {
                caller = start.channel
                break
            }
        }
        let names = ResourceNames(callID: callID)
        try await ari.answer(caller!.id)
        _ = try await ari.createBridge(id: names.bridge, name: names.callID)
        _ = try await ari.externalMedia(ExternalMediaRequest(
            app: CallHarness.application, format: "ulaw", externalHost: "127.0.0.1:9", channelID: names.mediaChannel))
        try await Task.sleep(for: .milliseconds(100))
        try await ari.addChannels([caller!.id, names.mediaChannel], to: names.bridge)
        await connection.stop()
        return Leftovers(
            caller: caller!.id.rawValue, callerChannel: caller!, bridge: names.bridge.rawValue, mediaChannel: names.mediaChannel.rawValue)
    }

    /// The dead run's caller's words and the bot's answer in the turn it finished before dying.
    static let finishedTurn = (caller: "opening hours", bot: "We are open Monday to Friday from nine to six.")

    /// Plays the dead run's call journal: the call started and one turn ended (each saved to the
    /// records at `path` as `ura serve` saves them), then the process died: no end was written.
    /// - Returns: the record as the dead run left it in the store.
    static func journalCall(
        _ leftovers: Leftovers, recordsAt path: String, instance: String? = nil, simulator: SimulatedAsterisk
    ) async throws -> CallRecord {
        let store = try SQLiteCallRecordStore(path: path)
        defer { try? store.close() }
        let journal = CallJournal(
            store: store, hub: CallEventHub(), owner: .init(instance: instance, url: nil), logger: Logger(label: "crashed.records"))
        let http = HTTPClient(name: "crashed-run-journal")
        defer { http.shutdown() }
        let url = URL(string: "http://127.0.0.1:\(simulator.port)")!
        let ari = ARIClient(configuration: .init(url: url, username: simulator.username, password: simulator.password), httpClient: http, logger: Logger(label: "crashed"))
        // The session is only described to the journal, never run: its media engine is never started.
        let session = CallSession(
            caller: leftovers.callerChannel, arguments: ["bot=echo"], names: ResourceNames(callID: callID), ari: ari,
            engine: try MediaEngine(bindAddress: "127.0.0.1", ports: 46900...46909, realtimePriority: nil),
            settings: .init(application: CallHarness.application, format: .ulaw, advertiseAddress: "127.0.0.1", jitterWindow: .milliseconds(60), defaultBot: .echo),
            bots: BotCatalog(loopbackDelay: .zero, providers: nil, logger: Logger(label: "crashed.bots")), logger: Logger(label: "crashed.call"))
        journal.callStarted(session)
        let conversation = journal.conversationObserver(callID: callID)
        conversation.transcript(finishedTurn.caller, isFinal: true)
        conversation.botSaid(finishedTurn.bot, interrupted: false)
        conversation.turnCompleted(TurnTimings(turn: 0, input: "speech"))
        // The turn's save reaches the file before the process "dies".
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let saved = try await store.record(id: callID), saved.turns.count == 1 { return saved }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CrashedRunError.turnNotSaved
    }

    enum CrashedRunError: Error { case turnNotSaved }
}
