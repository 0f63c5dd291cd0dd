import Testing
@testable import Settings

@Suite("DotEnv")
struct DotEnvTests {
    @Test func readsTheUsualForms() throws {
        let values = try DotEnv.parse("""
            # comment
            ARI_URL=http://127.0.0.1:8088
            export ARI_USERNAME = ura
            ARI_PASSWORD='p#ss word'
            OPERATOR_TOKEN="line\\nbreak \\"quoted\\""
            LOG_LEVEL=debug # trailing comment
            EMPTY=
            WINDOWS=crlf\r

            """)
        #expect(values["ARI_URL"] == "http://127.0.0.1:8088")
        #expect(values["ARI_USERNAME"] == "ura")
        #expect(values["ARI_PASSWORD"] == "p#ss word")
        #expect(values["OPERATOR_TOKEN"] == "line\nbreak \"quoted\"")
        #expect(values["LOG_LEVEL"] == "debug")
        #expect(values["EMPTY"] == "")
        #expect(values["WINDOWS"] == "crlf")
    }

    @Test func badLineNamesFileAndLine() {
        #expect(throws: ConfigurationError.self) { try DotEnv.parse("A=1\nnot an assignment\n", source: "prod.env") }
        do {
            _ = try DotEnv.parse("A=1\nnot an assignment\n", source: "prod.env")
        } catch {
            #expect(error.variable == "prod.env:2")
        }
        #expect(throws: ConfigurationError.self) { try DotEnv.parse("1BAD=x") }
    }

    @Test func missingFileIsEmpty() throws {
        #expect(try DotEnv.load(path: "/nonexistent/.env").isEmpty)
    }
}
