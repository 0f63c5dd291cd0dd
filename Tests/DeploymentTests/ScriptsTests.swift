import Foundation
import ProcessTesting
import Testing

/// scripts/ and .ci/: strict bash, runnable, and consistent with Package.swift.
@Suite struct ScriptsTests {
    static let scripts = ["scripts/setup", "scripts/test", "scripts/bench", "scripts/fuzz", "scripts/apifuzz", ".ci/run"]

    @Test(arguments: scripts)
    func isStrictExecutableBash(path: String) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Repository.url(path).path), "\(path) is not executable")
        let lines = try Repository.text(path).split(separator: "\n")
        #expect(lines.first == "#!/usr/bin/env bash")
        #expect(lines.contains("set -euo pipefail"))
    }

    @Test func setupInstallsEveryAptProviderOfPackageSwift() throws {
        let manifest = try Repository.text("Package.swift")
        let providers = manifest.matches(of: try Regex(#"\.apt\(\[([^\]]*)\]\)"#)).flatMap { match in
            (match.output[1].substring ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        #expect(!providers.isEmpty)
        let packages = try SetupScript.packages()
        for provider in providers {
            #expect(packages.contains(provider), "scripts/setup does not install \(provider)")
        }
    }

    @Test(arguments: [[String](), ["no-such-benchmark"]])
    func benchListsItsBenchmarksForAnUnknownName(arguments: [String]) async throws {
        let result = try await Subprocess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: [Repository.url("scripts/bench").path] + arguments,
            environment: ["PATH": "/usr/bin:/bin"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.standardError.contains("media"))
        #expect(result.standardError.contains("ari"))
    }
}
