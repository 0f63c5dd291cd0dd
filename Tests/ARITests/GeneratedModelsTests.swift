import Foundation
import Testing

/// The ARI models and events in Sources/ARI/Generated are what scripts/generate-ari makes of the
/// spec in Fixtures/api-docs-22: a hand edit, or a spec update without regenerating, fails here.
@Suite struct GeneratedModelsTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func generatedFilesMatchTheSpec() throws {
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = ["python3", Self.repository.appendingPathComponent("scripts/generate-ari").path, "--check"]
        let errors = Pipe()
        generator.standardError = errors
        try generator.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0, "\(message)")
    }
}
