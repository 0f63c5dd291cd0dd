import Testing

/// The .conf parser itself: the shipped-file checks are only as good as it is.
@Suite struct AsteriskConfigFileTests {
    @Test func readsSectionsKeysArrowsAndComments() throws {
        let file = try AsteriskConfigFile(parsing: """
            ; leading comment
            [general]
            enabled = yes ; trailing comment
            password=semi\\;colon
            ;-- a block
            comment --;
            [from-phones]
            exten => 100,1,Stasis(ura)
            """, name: "test.conf")
        let general = try #require(file.sections(named: "general").first)
        #expect(file.value("enabled", in: general) == "yes")
        #expect(file.value("password", in: general) == "semi;colon")
        let context = try #require(file.sections(named: "from-phones").first)
        #expect(file.values("exten", in: context) == ["100,1,Stasis(ura)"])
        #expect(file.sections.count == 2)
    }

    @Test func templatesAreSkippedButTheirEntriesInherited() throws {
        let file = try AsteriskConfigFile(parsing: """
            [base](!)
            type=endpoint
            allow=ulaw
            [1001](base)
            allow=g722
            [1001]
            type=aor
            """, name: "pjsip.conf")
        #expect(file.sections(named: "base").isEmpty)
        let endpoints = file.sections(ofType: "endpoint")
        #expect(endpoints.map(\.name) == ["1001"])
        #expect(file.values("allow", in: endpoints[0]) == ["ulaw", "g722"])
        #expect(file.sections(ofType: "aor").map(\.name) == ["1001"])
    }

    @Test(arguments: [
        ("[general]\nthis line is wrong\n", 2),
        ("key=value\n", 1),
        ("[broken\n", 1),
        ("[a] extra\n", 1),
        ("[a]\n;-- never closed\n", 2),
    ])
    func rejectsLinesAsteriskWouldIgnore(text: String, line: Int) {
        #expect {
            _ = try AsteriskConfigFile(parsing: text, name: "bad.conf")
        } throws: { error in
            (error as? AsteriskConfigFile.ParseError)?.line == line
        }
    }
}
