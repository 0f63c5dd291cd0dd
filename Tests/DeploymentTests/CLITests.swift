import Foundation
import ProcessTesting
import Testing
@testable import ura

/// The built `ura` binary as an operator meets it: help, version, configuration errors.
@Suite struct CLITests {
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "no ura binary beside the tests; build it (scripts/test does)" }
    }

    /// `ura` is built next to the test bundle (`.build/<triple>/debug`).
    static var binary: URL {
        get throws {
            let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "ura")
            let candidates = [besideTests, Bundle.main.bundleURL.appending(path: "ura"), Repository.url(".build/debug/ura")]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw NotBuilt()
            }
            return found
        }
    }

    static let password = "pw-Zq81-never-print-me"

    /// A directory with no .env, so only the environment given counts.
    static var emptyDirectory: URL {
        get throws {
            let directory = FileManager.default.temporaryDirectory.appending(path: "ura-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory
        }
    }

    static func ura(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) async throws -> Subprocess.Result {
        try await Subprocess.run(
            binary, arguments: arguments, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own },
            in: directory ?? emptyDirectory)
    }

    @Test func versionPrintsTheVersion() async throws {
        let result = try await Self.ura(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == URA.version)
    }

    @Test func helpNamesEachSubcommandWithItsAbstract() async throws {
        let result = try await Self.ura(["--help"])
        #expect(result.status == 0)
        let help = Self.collapsingWhitespace(result.standardOutput)
        let subcommands = [
            (Serve._commandName, Serve.configuration.abstract), (Check._commandName, Check.configuration.abstract),
            ("calls", CallsCommand.configuration.abstract),
        ]
        for (name, abstract) in subcommands {
            #expect(help.contains(" \(name) "), "--help lacks \(name)")
            #expect(help.contains(Self.collapsingWhitespace(abstract)), "--help lacks \(name)'s abstract")
        }
    }

    @Test(arguments: ["serve", "check", "calls list", "calls show", "calls hangup", "calls watch", "health"])
    func subcommandHelpExplainsTheEnvFileOption(subcommand: String) async throws {
        let result = try await Self.ura(subcommand.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("--env-file"))
    }

    @Test func healthWithNothingListeningFails() async throws {
        let unreachable = try await Self.ura(["health", "--ready"], environment: ["OPERATOR_LISTEN": "127.0.0.1:9"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("cannot reach"))
    }

    @Test func callsReadsOnlyTheOperatorSettings() async throws {
        let badListen = try await Self.ura(["calls", "list"], environment: ["OPERATOR_LISTEN": "0.0.0.0:8080"])
        #expect(badListen.status == 2)
        #expect(badListen.standardError.contains("OPERATOR_TOKEN"))
        // No ARI settings are needed: with nothing listening the failure is the API's (1), not the configuration's (2).
        let unreachable = try await Self.ura(["calls", "list"], environment: ["OPERATOR_LISTEN": "127.0.0.1:9"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("cannot reach"))
    }

    static let validEnvironment = ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": password]

    @Test(arguments: [
        ("RTP_PORT_START", ["RTP_PORT_START": "5000", "RTP_PORT_END": "4000"]),
        ("ARI_URL", ["ARI_URL": "127.0.0.1:8088"]),
        ("ARI_PASSWORD", ["ARI_PASSWORD": ""]),
        ("MEDIA_FORMAT", ["MEDIA_FORMAT": "opus"]),
        ("URA_BOT", ["URA_BOT": "clever"]),
        ("OPERATOR_TOKEN", ["OPERATOR_TOKEN": "too-short-a-token"]),
        ("OPERATOR_TOKEN", ["OPERATOR_LISTEN": "localhost:8080"]),
        ("OPERATOR_TLS_KEY", ["OPERATOR_TLS_CERT": "/etc/passwd"]),
        ("OPERATOR_TLS_CERT", ["OPERATOR_TLS_CERT": "/etc/passwd", "OPERATOR_TLS_KEY": "/etc/passwd", "OPERATOR_TOKEN": String(repeating: "t", count: 32)]),
    ])
    func badEnvironmentGivesOneLineNamingTheVariableAndExit2(variable: String, overrides: [String: String]) async throws {
        let environment = Self.validEnvironment.merging(overrides) { _, override in override }.filter { !$0.value.isEmpty }
        let result = try await Self.ura(["serve"], environment: environment)
        #expect(!result.timedOut, "ura serve started instead of refusing the configuration")
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(variable) == true, "stderr: \(result.standardError)")
        #expect(!(result.standardError + result.standardOutput).contains(Self.password))
    }

    @Test func badEnvFileLineIsReportedWithFileAndLine() async throws {
        let directory = try Self.emptyDirectory
        let file = directory.appending(path: "ura.env")
        try "ARI_PASSWORD=\(Self.password)\nthis is not an assignment\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await Self.ura(["serve", "--env-file", file.path], in: directory)
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\(file.path):2") == true, "stderr: \(result.standardError)")
        #expect(!(result.standardError + result.standardOutput).contains(Self.password))
    }

    @Test func passwordFromTheEnvFileIsNotPrintedEither() async throws {
        let directory = try Self.emptyDirectory
        try "ARI_URL=http://127.0.0.1:8088\nARI_PASSWORD=\(Self.password)\nRTP_PORT_START=70000\n"
            .write(to: directory.appending(path: ".env"), atomically: true, encoding: .utf8)
        let result = try await Self.ura(["serve"], in: directory)
        #expect(result.status == 2)
        #expect(result.standardError.contains("RTP_PORT_START"))
        #expect(!(result.standardError + result.standardOutput).contains(Self.password))
    }

    private static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
