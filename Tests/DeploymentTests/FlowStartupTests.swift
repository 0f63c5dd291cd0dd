import Flows
import Foundation
import Logging
import ProcessTesting
import Settings
import Testing
@testable import ura

/// Flows are loaded and checked before `ura serve` takes a call, and again on SIGHUP.
@Suite struct FlowStartupTests {
    static func flow(transfer: String) -> String {
        """
        flow: desk
        languages: [en-US]
        start: menu
        states:
          menu:
            prompt: Hi.
            then:
              - transfer: "\(transfer)"
        """
    }

    static func directory(with files: [String: String]) throws -> URL {
        let directory = try CLITests.emptyDirectory
        let flows = directory.appending(path: "flows")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: flows.appending(path: name), atomically: true, encoding: .utf8) }
        return directory
    }

    @Test func aBadFlowStopsServeWithOneLineNamingFileAndLine() async throws {
        let directory = try Self.directory(with: ["good.yaml": Self.flow(transfer: "PJSIP/1001"), "bad.yaml": Self.flow(transfer: ",")])
        let result = try await CLITests.ura(["serve"], environment: CLITests.validEnvironment.merging(["URA_BOT": "loopback"]) { $1 }, in: directory)
        #expect(!result.timedOut, "ura serve started with a bad flow")
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("flows/bad.yaml:8:") == true && lines.first?.contains("empty part") == true, "stderr: \(result.standardError)")
    }

    @Test func aFlowNamedByPathIsAConfigurationError() async throws {
        let directory = try Self.directory(with: ["desk.yaml": Self.flow(transfer: "PJSIP/1001")])
        let result = try await CLITests.ura(["serve"], environment: CLITests.validEnvironment.merging(["URA_BOT": "flow:flows/desk.yaml"]) { $1 }, in: directory)
        #expect(result.status == 2)
        #expect(result.standardError.contains("URA_BOT") && result.standardError.contains("never a path"), "stderr: \(result.standardError)")
    }

    @Test func aReloadRefreshesTheAllowListAndKeepsAFlowWhoseEditIsBad() throws {
        let directory = try Self.directory(with: ["desk.yaml": Self.flow(transfer: "PJSIP/1001")])
        let file = directory.appending(path: "flows/desk.yaml")
        let flows = try FlowLibrary.load(directory: directory.appending(path: "flows").path)
        let configured: Set<TransferDestination> = [.dialplan(context: "support", extension: "100", priority: .number(1))]
        let transfers = TransferAllowList(named: configured.union(flows.transferDestinations))
        let reloader = FlowReloader(flows: flows, transfers: transfers, configured: configured, logger: Logger(label: "test.flows"))
        let old = TransferDestination.endpoint(technology: "PJSIP", resource: "1001")
        let new = TransferDestination.endpoint(technology: "PJSIP", resource: "1002")

        try Self.flow(transfer: "PJSIP/1002").write(to: file, atomically: true, encoding: .utf8)
        reloader.reload()
        #expect(transfers.named == configured.union([new]))

        try Self.flow(transfer: "PJSIP/1002&PJSIP/00900").write(to: file, atomically: true, encoding: .utf8)
        reloader.reload()
        #expect(flows.flow(named: "desk")?.transferDestinations == [new])
        #expect(transfers.permits(new) && !transfers.permits(old))
        #expect(transfers.permits(.dialplan(context: "support", extension: "100", priority: .number(1))))
    }

    /// The real signal on the real binary: a bad edit is logged and the process goes on; a good
    /// one is taken. Asterisk is absent (ura keeps retrying ARI meanwhile).
    @Test func sighupReloadsTheFlowsOfARunningServe() async throws {
        let directory = try Self.directory(with: ["desk.yaml": Self.flow(transfer: "PJSIP/1001")])
        let script = """
            "$URA" serve 2> ura.log &
            pid=$!
            i=0
            until grep -q "cannot reach Asterisk ARI" ura.log || [ $i -ge 400 ]; do sleep 0.1; i=$((i+1)); done
            sleep 1
            printf '%s' "$BAD" > flows/desk.yaml
            kill -HUP $pid; sleep 1
            kill -0 $pid && echo "alive after bad edit"
            printf '%s' "$GOOD" > flows/desk.yaml
            kill -HUP $pid; sleep 1
            kill -0 $pid && echo "alive after good edit"
            kill -TERM $pid; wait $pid
            cat ura.log
            """
        let environment = [
            "PATH": "/usr/bin:/bin", "URA": try CLITests.binary.path, "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": CLITests.password,
            "URA_BOT": "flow:desk", "LOG_FORMAT": "text", "RECORDS_PATH": ":memory:",
            "OPERATOR_LISTEN": "127.0.0.1:\(Int.random(in: 20000...39000))",
            "BAD": Self.flow(transfer: "PJSIP/1001&PJSIP/00900"), "GOOD": Self.flow(transfer: "PJSIP/1002"),
        ]
        let result = try await Subprocess.run(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], environment: environment, in: directory, guardSeconds: 90)
        #expect(!result.timedOut)
        let output = result.standardOutput
        #expect(output.contains("alive after bad edit") && output.contains("alive after good edit"), "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.contains { $0.contains("flow not reloaded") && $0.contains("flows/desk.yaml:8:") }, "\(output)")
        #expect(lines.filter { $0.contains("flows reloaded") }.count == 2, "\(output)")
    }
}
