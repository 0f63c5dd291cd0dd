import AsteriskSimulator
import CallRecords
import Foundation
import ProcessTesting
import Testing
@testable import ura

/// The real binary killed mid-call (SIGKILL: no cleanup, no last save) and started again: the
/// call's record was already in the store, and the next start closes it as `lost` and removes
/// what the dead run left in Asterisk.
@Suite(.serialized) struct CrashRecoveryTests {
    /// The records in the file, read while ura may be writing it; a locked database reads as none yet.
    static func records(at path: String) async throws -> [CallRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do { return try await read(path) } catch let error as CallRecordsError where "\(error)".contains("locked") { return [] }
    }

    private static func read(_ path: String) async throws -> [CallRecord] {
        let store = try SQLiteCallRecordStore(path: path)
        defer { try? store.close() }
        return try await store.records(matching: CallRecordQuery())
    }

    static func waitFor(_ timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test(.timeLimit(.minutes(2)))
    func aCallWhoseURAWasKilledIsClosedAsLostByTheNextStart() async throws {
        let simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: "ura"))
        defer { simulator.stop() }
        let directory = try CLITests.emptyDirectory
        let records = directory.appending(path: "records.sqlite").path
        let port = Int.random(in: 18000...18999)
        let environment = [
            "ARI_URL": "http://127.0.0.1:\(simulator.port)", "ARI_USERNAME": simulator.username, "ARI_PASSWORD": simulator.password,
            "RECORDS_PATH": records, "URA_BOT": "loopback", "RTP_PORT_START": "41100", "RTP_PORT_END": "41199",
            "OPERATOR_LISTEN": "127.0.0.1:\(port)", "URA": try CLITests.binary.path, "PATH": "/usr/bin:/bin",
        ]
        // The shell tells the test ura's pid, so the test can kill ura alone.
        let script = #""$URA" serve 2>> ura.log & echo $! > ura.pid; wait $!"#
        let shell = URL(fileURLWithPath: "/bin/sh")
        func uraPID() throws -> Int32 {
            let text = try String(contentsOf: directory.appending(path: "ura.pid"), encoding: .utf8)
            return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        var phone: SyntheticCaller?
        let first = try await Subprocess.run(shell, arguments: ["-c", script], environment: environment, in: directory, guardSeconds: 60) {
            #expect(try await Self.waitFor { simulator.registeredApps.contains("ura") })
            let caller = simulator.placeCall(from: "1001", to: "100", script: [.pause(.seconds(60))])
            phone = caller
            #expect(try await Self.waitFor { caller.status == .answered && simulator.bridges.count == 1 })
            #expect(try await Self.waitFor { try await Self.records(at: records).first?.isActive == true }, "no record while the call is up")
            kill(try uraPID(), SIGKILL)
        }
        #expect(!first.timedOut)
        // ura is dead: the caller gives up, and ura's bridge and externalMedia channel stay behind.
        phone?.hangUp()
        #expect(simulator.bridges.count == 1)
        let before = try #require(try await Self.records(at: records).first)
        #expect(before.isActive)

        let second = try await Subprocess.run(shell, arguments: ["-c", script], environment: environment, in: directory, guardSeconds: 60) {
            #expect(try await Self.waitFor { try await Self.records(at: records).first?.outcome == .lost })
            #expect(try await Self.waitFor { simulator.bridges.isEmpty && simulator.channels.isEmpty }, "leftovers of the killed run")
            kill(try uraPID(), SIGTERM)
        }
        #expect(!second.timedOut)
        let after = try #require(try await Self.records(at: records).first { $0.id == before.id })
        #expect(after.outcome == .lost && after.endedAt != nil)
        #expect(after.startedAt == before.startedAt)
    }
}
