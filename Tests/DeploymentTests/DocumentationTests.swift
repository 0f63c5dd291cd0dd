import Testing

/// README.md and .env.example describe every variable ura reads.
@Suite struct DocumentationTests {
    @Test func readmeConfigurationTableHasEveryVariable() throws {
        let readme = try Repository.text("README.md")
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for name in try KnownVariables.names().sorted() {
            #expect(rows.contains { $0.hasPrefix("| `\(name)`") }, "README.md's configuration table lacks \(name)")
        }
    }

    @Test func envExampleMentionsEveryVariable() throws {
        let lines = try Repository.text(".env.example").split(separator: "\n")
        for name in try KnownVariables.names().sorted() {
            #expect(lines.contains { $0.hasPrefix("\(name)=") || $0.hasPrefix("# \(name)=") }, ".env.example lacks \(name)")
        }
    }

    @Test func readmeStartsWithTheRunAndTestCommands() throws {
        let readme = try Repository.text("README.md")
        let top = readme.split(separator: "\n").prefix(30).joined(separator: "\n")
        #expect(top.contains("swift run ura serve"))
        #expect(top.contains("docker compose up"))
        #expect(top.contains("scripts/test"))
    }
}
