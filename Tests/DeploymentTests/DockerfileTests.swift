import Foundation
import ProcessTesting
import Testing

/// The multi-stage Dockerfile compose builds ura with.
@Suite struct DockerfileTests {
    static func stages() throws -> [DockerfileStages.Stage] {
        try DockerfileStages(parsing: Repository.text("Dockerfile")).stages
    }

    static var developmentPackages: [String] {
        get throws { try SetupScript.packages().filter { $0.hasSuffix("-dev") } }
    }

    @Test func buildsWithTheOfficialSwiftImageOnBookworm() throws {
        let build = try #require(try Self.stages().first)
        let tag = try #require(build.image.split(separator: ":", maxSplits: 1).last.map(String.init))
        #expect(build.image.hasPrefix("swift:"))
        #expect(tag.hasSuffix("-bookworm"), "build stage \(build.image) is not the full Debian 12 image")
        // The image's Swift must be at least the package's tools version.
        let manifest = try Repository.text("Package.swift")
        let toolsLine = try #require(manifest.split(separator: "\n").first { $0.contains("swift-tools-version:") })
        let tools = try #require(toolsLine.split(separator: ":").last).split(separator: ".").compactMap { Int($0) }
        let image = tag.split(separator: "-")[0].split(separator: ".").compactMap { Int($0) }
        #expect(image.lexicographicallyPrecedes(tools) == false, "swift \(tag) is older than tools version \(tools)")
    }

    @Test func runsOnASlimBookwormImageFromTheBuildOutput() throws {
        let stages = try Self.stages()
        #expect(stages.count >= 2)
        let runtime = try #require(stages.last)
        #expect(runtime.image == "debian:bookworm-slim" || (runtime.image.hasPrefix("swift:") && runtime.image.hasSuffix("-bookworm-slim")))
        let buildName = try #require(stages.first?.name)
        #expect(runtime.copiesFrom.contains(buildName))
        #expect(runtime.aptPackages.allSatisfy { !$0.hasSuffix("-dev") }, "the runtime stage installs -dev packages")
    }

    @Test func buildStageInstallsEveryDevelopmentPackageOfSetup() throws {
        let build = try #require(try Self.stages().first)
        for package in try Self.developmentPackages {
            #expect(build.aptPackages.contains(package), "Dockerfile build stage lacks \(package)")
        }
    }

    /// Debian says which library a -dev package belongs to: the dependency pinned to its own
    /// version (`libspeexdsp-dev` → `libspeexdsp1 (= 1.2.1-1)`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query")))
    func runtimeStageInstallsTheLibraryOfEachDevelopmentPackage() async throws {
        let runtime = try #require(try Self.stages().last)
        for package in try Self.developmentPackages {
            let result = try await Subprocess.run(
                URL(fileURLWithPath: "/usr/bin/dpkg-query"), arguments: ["-W", "-f=${Depends}", package],
                environment: ["PATH": "/usr/bin:/bin"], in: Repository.root)
            try #require(result.status == 0, "dpkg-query knows no \(package); run scripts/setup")
            let libraries = result.standardOutput.split(separator: ",").compactMap { dependency -> String? in
                let words = dependency.split(separator: " ")
                guard words.count >= 2, words[1] == "(=" else { return nil }
                return String(words[0])
            }
            #expect(!libraries.isEmpty, "\(package) pins no runtime library")
            #expect(libraries.contains { runtime.aptPackages.contains($0) },
                    "runtime stage installs none of \(libraries) for \(package)")
        }
    }
}
