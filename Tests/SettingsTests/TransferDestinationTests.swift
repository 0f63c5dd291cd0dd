import Testing
@testable import Settings

@Suite("Transfer destinations")
struct TransferDestinationTests {
    @Test(arguments: [
        ("100", TransferDestination.dialplan(context: nil, extension: "100", priority: .number(1)), "100"),
        ("support,100", .dialplan(context: "support", extension: "100", priority: .number(1)), "support,100"),
        (" from-phones,100,1 ", .dialplan(context: "from-phones", extension: "100", priority: .number(1)), "from-phones,100"),
        ("sales,s,3", .dialplan(context: "sales", extension: "s", priority: .number(3)), "sales,s,3"),
        ("sales,s,start", .dialplan(context: "sales", extension: "s", priority: .label("start")), "sales,s,start"),
        ("intl,+5511999990000", .dialplan(context: "intl", extension: "+5511999990000", priority: .number(1)), "intl,+5511999990000"),
        ("*97", .dialplan(context: nil, extension: "*97", priority: .number(1)), "*97"),
        ("PJSIP/1001", .endpoint(technology: "PJSIP", resource: "1001"), "PJSIP/1001"),
        ("PJSIP/reception@trunk", .endpoint(technology: "PJSIP", resource: "reception@trunk"), "PJSIP/reception@trunk"),
        ("Local/100@from-phones/n", .endpoint(technology: "Local", resource: "100@from-phones/n"), "Local/100@from-phones/n"),
    ])
    func validDestinationsParseToTheirCanonicalText(text: String, expected: TransferDestination, canonical: String) throws {
        let destination = try TransferDestination(parsing: text)
        #expect(destination == expected)
        #expect(destination.description == canonical)
        #expect(try TransferDestination(parsing: canonical) == destination)
    }

    /// Each of these either trapped ura (`split` leaves no parts: `parts[0]`) or reached Asterisk
    /// as something it would act on (multi-dial, Dial options, dialplan expressions).
    @Test(arguments: [
        (",", "empty part"), (",,", "empty part"), (",100", "empty part"), ("100,", "empty part"), ("a,,1", "empty part"),
        ("", "is empty"), ("   ", "is empty"), ("a,b,c,d", "4 comma-separated parts"),
        ("sales,s,0", "priorities start at 1"), ("sales,s,-1", "positive number or a label"),
        ("sales,s,99999999999999999999999", "priorities start at 1"), ("sales,s,1x y", "U+20"),
        ("sales,s,1st", "positive number or a label"),
        ("sales,_X.", "pattern"), ("sa les,100", "U+20"), ("100\n", "U+A"), ("1\u{0}0", "U+0"), ("100\u{7F}", "U+7F"),
        ("ç,100", "U+E7"), ("sales,${EXTEN}", "\"$\""), ("sales,100(1)", "\"(\""), ("ctx;x,100", "\";\""),
        ("PJSIP/1001&PJSIP/00900", "\"&\""), ("PJSIP/1001,tT", "\",\""), ("PJSIP/1001|x", "\"|\""), ("PJSIP/a'b", "\"'\""),
        ("/1001", "no technology"), ("PJSIP/", "no resource"), ("PJ SIP/1", "U+20"), ("PJ-SIP/1", "technology"),
        ("1PJSIP/1", "technology"), ("PJSIP//1001", "empty part"), ("PJSIP/1001/", "empty part"),
        (String(repeating: "1", count: 129), "at most 128"), ("c," + String(repeating: "1", count: 81), "at most 80"),
    ])
    func hostileTextIsRefusedSayingWhy(text: String, mentions: String) {
        #expect {
            try TransferDestination(parsing: text)
        } throws: { error in
            (error as? TransferDestination.Invalid)?.problem.contains(mentions) == true
        }
    }

    @Test func aRefusalNeverEchoesUnprintableInput() throws {
        do {
            _ = try TransferDestination(parsing: "PJSIP/1\u{1B}[2J")
            Issue.record("accepted an escape sequence")
        } catch {
            #expect(!error.description.contains("\u{1B}"))
        }
    }
}

@Suite("Transfer allow-list")
struct TransferAllowListTests {
    func destination(_ text: String) throws -> TransferDestination { try TransferDestination(parsing: text) }

    @Test func namedDestinationsAndPatternsAreAllowedAndNothingElse() throws {
        let list = TransferAllowList(
            patterns: [try TransferPattern(parsing: "PJSIP/1*"), try TransferPattern(parsing: "support,100,1")],
            named: [try destination("PJSIP/2001")])
        for allowed in ["PJSIP/1001", "pjsip/1999", "PJSIP/2001", "pjsip/2001", "support,100", "support,100,1"] {
            #expect(list.permits(try destination(allowed)), "\(allowed)")
        }
        for refused in ["PJSIP/2002", "PJSIP/00900123456", "support,101", "100", "Local/1001@x", "support,100,2"] {
            #expect(!list.permits(try destination(refused)), "\(refused)")
        }
        list.replaceNamed([try destination("PJSIP/3001")])
        #expect(!list.permits(try destination("PJSIP/2001")))
        #expect(list.permits(try destination("PJSIP/3001")))
    }

    @Test func anEmptyListAllowsNothing() throws {
        let list = TransferAllowList()
        #expect(!list.permits(try destination("PJSIP/1001")))
        #expect(list.summary == "no transfers are allowed on this line")
    }

    @Test func wildcardsMatchAnyRun() throws {
        let pattern = try TransferPattern(parsing: "intl,+55*0")
        #expect(pattern.matches(try destination("intl,+551130000")))
        #expect(!pattern.matches(try destination("intl,+551130001")))
        #expect(!pattern.matches(try destination("intl,+1555000")))
        #expect(try TransferPattern(parsing: "*").matches(try destination("anything,at,all")))
    }

    @Test(arguments: ["PJSIP/1*,|x", "PJSIP/1001&*", ",", "sales,*,0", "a b"])
    func badPatternsAreRefused(text: String) {
        #expect(throws: TransferDestination.Invalid.self) { try TransferPattern(parsing: text) }
    }

    @Test func transferAllowIsReadSeparatedByBlanksOrSemicolons() throws {
        let config = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "TRANSFER_ALLOW": "PJSIP/10* support,100; sales,s,start",
        ])
        #expect(config.transferAllow.map(\.text) == ["PJSIP/10*", "support,100", "sales,s,start"])
    }

    @Test func theFailureDestinationIsNamed() throws {
        let config = try Configuration.load(environment: [
            "ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x", "URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": "PJSIP/1001",
        ])
        #expect(config.namedTransferDestinations == [.endpoint(technology: "PJSIP", resource: "1001")])
    }

    @Test func hostileDefaultsAreSafe() throws {
        let config = try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:1", "ARI_PASSWORD": "x"])
        #expect(config.transferAllow.isEmpty)
        #expect(config.maximumCalls == 100)
        #expect(config.logTranscripts == false)
        #expect(config.flowsDirectory == "flows")
    }
}

@Suite("Flow names and Stasis variables")
struct FlowNameTests {
    @Test(arguments: ["flow:clinica", "flow:clinica.yaml", "flow:clinica.yml"])
    func aFlowIsNamed(text: String) throws {
        #expect(try BotChoice(parsing: text, variable: "bot") == .flow(name: "clinica"))
    }

    @Test(arguments: [
        "flow:../clinica", "flow:flows/clinica.yaml", "flow:/etc/passwd", "flow:..", "flow:.hidden", "flow:a\\b", "flow:a b",
        "flow:a\u{0}b", "flow:" + String(repeating: "a", count: 65), "flow:ç",
    ])
    func aPathIsNeverAFlow(text: String) {
        #expect(throws: ConfigurationError.self) { try BotChoice(parsing: text, variable: "bot") }
    }

    @Test(arguments: [("LANG", nil), ("lang", nil), ("bot", "reserved"), ("BOT", "reserved"), ("ura_call_id", "reserved"),
                      ("ura_x", "reserved"), ("a-b", "letters"), ("1a", "letters"), ("", "1 to 64")] as [(String, String?)])
    func variableNames(name: String, problem: String?) {
        let found = StasisVariable.problem(name: name)
        if let problem { #expect(found?.contains(problem) == true, "\(name)") } else { #expect(found == nil, "\(name)") }
    }

    @Test(arguments: [("pt_BR", nil), ("a=b", nil), ("x,bot=llm", "separate"), ("x|bot=llm", "separate"), ("a\nb", "control"),
                      (String(repeating: "v", count: 257), "longer")] as [(String, String?)])
    func variableValues(value: String, problem: String?) {
        let found = StasisVariable.problem(value: value)
        if let problem { #expect(found?.contains(problem) == true) } else { #expect(found == nil) }
    }
}
