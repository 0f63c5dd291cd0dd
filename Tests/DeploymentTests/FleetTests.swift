import AsteriskSimulator
import CallRecordsTesting
import Foundation
import HTTP
import ProcessTesting
import Testing
@testable import ura

/// Two real `ura serve` processes in front of one Asterisk, sharing calls through
/// StasisBroadcast: each call handled by exactly one, one killed mid-run and its callers
/// continued in the dialplan by the other, a SIGTERM that drops no call.
@Suite(.serialized) struct FleetTests {
    /// One `ura serve` run through a shell that tells its pid and keeps its log.
    final class Instance: Sendable {
        let app: String
        let directory: URL
        let environment: [String: String]

        let operatorURL: URL

        init(app: String, simulator: SimulatedAsterisk, rtpStart: Int, operatorPort: Int, extra: [String: String]) throws {
            self.app = app
            operatorURL = URL(string: "http://127.0.0.1:\(operatorPort)")!
            directory = try CLITests.emptyDirectory
            environment = [
                "ARI_URL": "http://127.0.0.1:\(simulator.port)", "ARI_USERNAME": simulator.username, "ARI_PASSWORD": simulator.password,
                "ARI_APP": app, "RECORDS_PATH": directory.appending(path: "records.sqlite").path, "URA_BOT": "loopback",
                "LOOPBACK_DELAY_MS": "0", "RTP_PORT_START": "\(rtpStart)", "RTP_PORT_END": "\(rtpStart + 149)",
                "OPERATOR_LISTEN": "127.0.0.1:\(operatorPort)", "PEER_GRACE_SECONDS": "2", "LOG_LEVEL": "warning",
                "PATH": "/usr/bin:/bin", "URA": try CLITests.binary.path,
            ].merging(extra) { _, new in new }
        }

        func run(_ body: () async throws -> Void) async throws -> Subprocess.Result {
            let script = #""$URA" serve 2>> ura.log & echo $! > ura.pid; wait $!"#
            return try await Subprocess.run(
                URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], environment: environment, in: directory, guardSeconds: 150,
                whileRunning: body)
        }

        var pid: Int32 {
            get throws {
                let text = try String(contentsOf: directory.appending(path: "ura.pid"), encoding: .utf8)
                return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }

        var log: String { (try? String(contentsOf: directory.appending(path: "ura.log"), encoding: .utf8)) ?? "" }

        /// `ura health --ready`'s exit status.
        func readiness() async throws -> Int32 {
            try await CLITests.ura(["health", "--ready"], environment: ["OPERATOR_LISTEN": environment["OPERATOR_LISTEN"]!]).status
        }

        /// Asks this instance's operator API; returns the status and the JSON body.
        func api(_ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> (status: Int, json: Any?) {
            let http = HTTPClient(name: "fleet-test")
            defer { http.shutdown() }
            let answer = try await http.execute(HTTPRequest(
                method: method, url: URL(string: operatorURL.absoluteString + path)!,
                headers: [(name: "Content-Type", value: "application/json")], body: body.map { Data($0.utf8) }))
            return (answer.status, try? JSONSerialization.jsonObject(with: answer.body))
        }

        /// `GET /v1/calls` as (id, instance, state, outcome) rows.
        func calls(_ query: String) async throws -> [(id: String, instance: String?, state: String, outcome: String?)] {
            let (_, json) = try await api(.get, "/v1/calls?\(query)")
            let calls = ((json as? [String: Any])?["calls"] as? [[String: Any]]) ?? []
            return calls.map { ($0["id"] as? String ?? "", $0["instance"] as? String, $0["state"] as? String ?? "", $0["outcome"] as? String) }
        }

        /// Whether a bridge id is one of this instance's (its namespace is its app name).
        func owns(bridge: String) -> Bool { bridge.hasPrefix("ura-\(app).") }
    }

    static func waitFor(_ timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        try await CrashRecoveryTests.waitFor(timeout, condition)
    }

    static func broadcastCall(_ simulator: SimulatedAsterisk, _ index: Int, seconds: Int = 90) -> SyntheticCaller {
        simulator.placeBroadcastCall(
            from: "\(5000 + index)", to: "102", filter: "^ura-", timeout: .seconds(3), script: [.pause(.seconds(seconds))],
            recordsAudio: false)
    }

    /// The instance whose bridge holds the phone's channel, if any.
    static func owner(of phone: SyntheticCaller, in simulator: SimulatedAsterisk, among instances: [Instance]) -> Instance? {
        guard let channel = phone.channelID, let bridge = simulator.bridges.first(where: { $0.channels.contains(channel) }) else { return nil }
        return instances.first { $0.owns(bridge: bridge.id) }
    }

    @Test(.timeLimit(.minutes(4)))
    func twoInstancesShareOneHundredCallsAndTheSurvivorTakesCareOfTheKilledOnesCallers() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { simulator.stop() }
        // One PostgreSQL database for both: either lists the fleet's calls.
        let records = try TestPostgres.newDatabaseURL()
        let ports = (Int.random(in: 20000...20499), Int.random(in: 20500...20999))
        func shared(_ port: Int) -> [String: String] { ["RECORDS_URL": records, "OPERATOR_ADVERTISE_URL": "http://127.0.0.1:\(port)"] }
        let one = try Instance(app: "ura-1", simulator: simulator, rtpStart: 41500, operatorPort: ports.0, extra: shared(ports.0))
        let two = try Instance(app: "ura-2", simulator: simulator, rtpStart: 41700, operatorPort: ports.1, extra: shared(ports.1))
        var handedOver: String?

        var phones: [SyntheticCaller] = []
        var killedCallers: [SyntheticCaller] = []
        var oneCallers: [SyntheticCaller] = []
        let first = try await one.run {
            let second = try await two.run {
                #expect(try await Self.waitFor { Set(simulator.registeredApps).isSuperset(of: ["ura-1", "ura-2"]) })
                phones = (0..<60).map { Self.broadcastCall(simulator, $0) }
                #expect(try await Self.waitFor { phones.allSatisfy { Self.owner(of: $0, in: simulator, among: [one, two]) != nil } },
                        "\(phones.filter { $0.status != .answered }.count) not answered; bridges \(simulator.bridges.prefix(2))")
                let owners = phones.map { Self.owner(of: $0, in: simulator, among: [one, two])?.app }
                #expect(owners.allSatisfy { $0 != nil }, "each call bridged by one instance")
                #expect(owners.contains("ura-1") && owners.contains("ura-2"), "both instances take calls")
                #expect(simulator.counters.claimConflicts > 0, "both instances claim; the second gets 409")
                killedCallers = zip(phones, owners).filter { $0.1 == "ura-2" }.map(\.0)
                oneCallers = zip(phones, owners).filter { $0.1 == "ura-1" }.map(\.0)

                // Either instance shows the fleet's calls, each with the instance carrying it.
                #expect(try await Self.waitFor { try await one.calls("state=active&limit=500").count == 60 })
                let active = try await one.calls("state=active&limit=500")
                #expect(active.filter { $0.instance == "ura-2" }.count == killedCallers.count, "\(active.map(\.instance))")
                // An operator's request for ura-2's call, sent to ura-1, is handed to ura-2.
                let theirs = try #require(active.first { $0.instance == "ura-2" }?.id)
                let say = try await one.api(.post, "/v1/calls/\(theirs)/say", body: #"{"text": "hello"}"#)
                #expect(say.status == 400 && "\(say.json ?? "")".contains("loopback"), "ura-2's own answer: its loopback bot does not speak")
                #expect(try await one.api(.delete, "/v1/calls/\(theirs)").status == 202)
                #expect(try await Self.waitFor { try await two.calls("state=all&limit=500").first { $0.id == theirs }?.outcome == "operator_hangup" })
                handedOver = theirs
                killedCallers.removeAll { $0.status != .answered }
                kill(try two.pid, SIGKILL)
            }
            #expect(!second.timedOut)
            let killedAt = ContinuousClock.now

            // The survivor notices within the grace period (2 s) and a few looks.
            #expect(try await Self.waitFor(.seconds(15)) { killedCallers.allSatisfy(\.wasContinuedInDialplan) },
                    "\(killedCallers.filter { !$0.wasContinuedInDialplan }.count) of ura-2's callers left in silence")
            #expect(ContinuousClock.now - killedAt < .seconds(8))
            #expect(try await Self.waitFor { !simulator.bridges.contains { two.owns(bridge: $0.id) } }, "ura-2's bridges deleted")
            #expect(oneCallers.allSatisfy { $0.status == .answered && !$0.wasContinuedInDialplan }, "ura-1's calls go on")

            // ura-1 keeps taking calls: the rest of the hundred.
            let more = (60..<100).map { Self.broadcastCall(simulator, $0) }
            phones += more
            #expect(try await Self.waitFor { more.allSatisfy { Self.owner(of: $0, in: simulator, among: [one]) != nil } })
            #expect(more.allSatisfy { Self.owner(of: $0, in: simulator, among: [one])?.app == "ura-1" })

            for phone in phones where phone.status == .answered { phone.hangUp() }
            #expect(try await Self.waitFor { simulator.bridges.isEmpty && simulator.channels.isEmpty }, "nothing left over")
            // Every call in the shared records, ended: ura-2's in-flight calls as lost, closed by ura-1.
            #expect(try await Self.waitFor { try await one.calls("state=active&limit=500").isEmpty })
            let all = try await one.calls("state=all&limit=500")
            #expect(all.count == 100)
            #expect(all.filter { $0.instance == "ura-2" && $0.outcome == "lost" }.count == killedCallers.count)
            #expect(all.first { $0.id == handedOver }?.outcome == "operator_hangup")
            #expect(all.filter { $0.instance == "ura-1" }.allSatisfy { $0.outcome == "caller_hangup" })
            #expect(try await one.readiness() == 0)
            kill(try one.pid, SIGTERM)
        }
        #expect(!first.timedOut)
        #expect(first.status == 0, "\(one.log.suffix(1500))")
        #expect(!one.log.contains("\"level\":\"error\""), "a lost claim (409) is not an error")
    }

    @Test(.timeLimit(.minutes(2)))
    func aSIGTERMDuringCallsDropsNoneAndReadinessTurns503WhileTheyDrain() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { simulator.stop() }
        let one = try Instance(
            app: "ura-1", simulator: simulator, rtpStart: 41900, operatorPort: Int.random(in: 21000...21499),
            extra: ["SHUTDOWN_DRAIN_SECONDS": "20"])
        var phones: [SyntheticCaller] = []
        let run = try await one.run {
            #expect(try await Self.waitFor { simulator.registeredApps.contains("ura-1") })
            #expect(try await Self.waitFor { try await one.readiness() == 0 })
            // Callers who hang up by themselves a few seconds into the drain.
            phones = (0..<5).map { index in
                simulator.placeBroadcastCall(
                    from: "\(6000 + index)", to: "102", filter: "^ura-", timeout: .seconds(3),
                    script: [.pause(.seconds(4 + index)), .hangUp], recordsAudio: false)
            }
            #expect(try await Self.waitFor { phones.allSatisfy { $0.status == .answered } })
            kill(try one.pid, SIGTERM)
            #expect(try await Self.waitFor(.seconds(5)) { try await one.readiness() == 1 }, "readiness 503 during the drain")
            // A call arriving now is not claimed: with nobody else, the dialplan's TIMEOUT path plays.
            let late = simulator.placeBroadcastCall(from: "6099", to: "102", filter: "^ura-", timeout: .milliseconds(500), script: [.pause(.seconds(5))])
            #expect(try await Self.waitFor(.seconds(5)) { simulator.counters.broadcastTimeouts == 1 })
            _ = late
            #expect(phones.allSatisfy { $0.status == .answered || $0.scriptFinished }, "no call dropped by the shutdown")
        }
        #expect(!run.timedOut)
        #expect(run.status == 0)
        #expect(phones.allSatisfy { $0.scriptFinished && !$0.wasContinuedInDialplan }, "every caller finished and hung up by themselves")
        #expect(simulator.bridges.isEmpty && simulator.channels.isEmpty)
    }
}
