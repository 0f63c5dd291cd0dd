import ARI
import AsteriskSimulator
import Calls
import Foundation
import HTTP
import Logging
import Media
import ServiceLifecycle
import Settings

/// ura's call service against a simulated Asterisk, wired as `ura serve` wires it, for the
/// benchmark scenarios: `body` runs once the events socket is up (with ura's media engine, for its pacer's figures), then the service shuts down.
enum SimulatedDeployment {
    static func run(
        bots: any BotFactory, defaultBot: BotChoice, simulatorPorts: ClosedRange<Int>, mediaPorts: ClosedRange<Int>,
        _ body: (SimulatedAsterisk, MediaEngine) async throws -> Void
    ) async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura", rtpPorts: simulatorPorts))
        defer { simulator.stop() }
        let engine = try MediaEngine(bindAddress: "127.0.0.1", ports: mediaPorts, realtimePriority: 10)
        try engine.start()
        defer { engine.stop() }
        let http = HTTPClient(name: "bench-ari")
        defer { http.shutdown() }
        let url = URL(string: "http://127.0.0.1:\(simulator.port)")!
        let service = CallService(
            ari: ARIClient(
                configuration: .init(url: url, username: simulator.username, password: simulator.password), httpClient: http,
                logger: Logger(label: "bench.ari")),
            connection: ARIEventConnection(baseURL: url, applications: ["ura"], username: simulator.username, password: simulator.password),
            engine: engine,
            settings: .init(application: "ura", format: .ulaw, advertiseAddress: "127.0.0.1", jitterWindow: .milliseconds(60), defaultBot: defaultBot),
            shutdown: .init(drain: .seconds(2), remainingCalls: .hangup), bots: bots, logger: Logger(label: "bench.calls"))
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], cancellationSignals: [], logger: Logger(label: "bench"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while !(service.isConnected && simulator.registeredApps.contains("ura")) { try await Task.sleep(for: .milliseconds(10)) }
            try await body(simulator, engine)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
