import ARI
import CallRecords
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
        var caller: ChannelID?
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
                caller = start.channel.id
                break
            }
        }
        let names = ResourceNames(callID: callID)
        try await ari.answer(caller!)
        _ = try await ari.createBridge(id: names.bridge, name: names.callID)
        _ = try await ari.externalMedia(ExternalMediaRequest(
            app: CallHarness.application, format: "ulaw", externalHost: "127.0.0.1:9", channelID: names.mediaChannel))
        try await Task.sleep(for: .milliseconds(100))
        try await ari.addChannels([caller!, names.mediaChannel], to: names.bridge)
        await connection.stop()
        return Leftovers(caller: caller!.rawValue, bridge: names.bridge.rawValue, mediaChannel: names.mediaChannel.rawValue)
    }

    /// The record the dead run had saved of its call when it died: active, with its greeting turn.
    static func record(of leftovers: Leftovers) -> CallRecord {
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        return CallRecord(
            id: callID, callerNumber: "1009", channelID: leftovers.caller, bot: "echo", startedAt: started, answeredAt: started,
            turns: [Turn(index: 0, startedAt: started, callerTranscript: "", botText: "Hello, how can I help?")],
            timeline: [TimelineEvent(at: started, kind: "started")])
    }
}
