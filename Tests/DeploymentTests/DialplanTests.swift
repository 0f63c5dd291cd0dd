import Testing

/// The dialplan walker that checks the Stasis fallback.
@Suite struct DialplanTests {
    static let sample = """
        [in]
        exten => 1,1,Stasis(app)
         same => n,GotoIf($["${STASISSTATUS}" = "FAILED"]?down:up)
         same => n(up),Hangup()
         same => n(down),Answer()
         same => n,Goto(other,s,1)
        [other]
        exten => s,1,Playback(sorry)
         same => n,Hangup()
        """

    @Test(arguments: [
        ("FAILED", ["Stasis", "GotoIf", "Answer", "Goto", "Playback", "Hangup"]),
        ("SUCCESS", ["Stasis", "GotoIf", "Hangup"]),
    ])
    func followsGotoIfAndGoto(status: String, expected: [String]) throws {
        let dialplan = try Dialplan(AsteriskConfigFile(parsing: Self.sample, name: "extensions.conf"))
        let start = try #require(dialplan.step(context: "in", extensionName: "1", priority: 1))
        let path = try dialplan.path(from: start, variables: ["STASISSTATUS": status])
        #expect(path.map(\.application) == expected)
    }

    @Test func stepsKnowTheirArguments() throws {
        let dialplan = try Dialplan(AsteriskConfigFile(parsing: "[c]\nexten => 101,1,Stasis(ura,bot=echo)\n", name: "x"))
        let step = try #require(dialplan.step(context: "c", extensionName: "101", priority: 1))
        #expect(step.application == "Stasis")
        #expect(step.argumentList == ["ura", "bot=echo"])
    }

    @Test(arguments: [
        "[c]\nexten => 1,1,NoOp()\n",                               // runs off the end
        "[c]\nexten => 1,1,Goto(missing,s,1)\n",                    // jumps nowhere
        "[c]\nexten => 1,1,GotoIf($[${UNKNOWN} = 1]?2)\n same => n,Hangup()\n", // unknown variable
        "[c]\nexten => 1,1,Goto(1)\n",                              // loops forever
    ])
    func reportsPathsThatDoNotEndInHangup(text: String) throws {
        let dialplan = try Dialplan(AsteriskConfigFile(parsing: text, name: "x"))
        let start = try #require(dialplan.step(context: "c", extensionName: "1", priority: 1))
        #expect(throws: Dialplan.Problem.self) {
            _ = try dialplan.path(from: start, variables: ["STASISSTATUS": "FAILED"])
        }
    }
}
