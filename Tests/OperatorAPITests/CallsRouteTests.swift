import CallRecords
import CallRecordsTesting
import Foundation
import OperatorAPI
import Settings
import Testing

@Suite struct CallsRouteTests {
    /// One call up now, two finished in the records.
    static func populated() async throws -> (FakeCallControl, any CallRecordStore) {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "live-1", caller: "1003", startedAfter: 300, outcome: nil)])
        let store = try SQLiteCallRecordStore(path: ":memory:")
        try await store.save(SampleRecords.call(id: "done-1", caller: "1001", startedAfter: 0, outcome: .completed))
        try await store.save(SampleRecords.call(id: "done-2", caller: "1002", startedAfter: 60, outcome: .callerHangup))
        return (control, store)
    }

    struct ListCase: Sendable, CustomStringConvertible {
        let query: String
        let expected: [String]
        var description: String { query }
    }

    @Test(arguments: [
        ListCase(query: "", expected: ["live-1", "done-2", "done-1"]),
        ListCase(query: "?state=active", expected: ["live-1"]),
        ListCase(query: "?state=recent", expected: ["done-2", "done-1"]),
        ListCase(query: "?outcome=caller_hangup", expected: ["done-2"]),
        ListCase(query: "?caller=1001", expected: ["done-1"]),
        ListCase(query: "?caller=1003", expected: ["live-1"]),
        ListCase(query: "?from=\(OperatorJSON.formatTime(SampleRecords.base.addingTimeInterval(30)))", expected: ["live-1", "done-2"]),
        ListCase(query: "?to=2026-01-01T00:00:00Z", expected: []),
        ListCase(query: "?limit=2", expected: ["live-1", "done-2"]),
    ])
    func listFilters(_ list: ListCase) async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let response = try await server.request(.get, "/v1/calls" + list.query)
            #expect(response.status == 200)
            let calls = try response.decoded(CallList.self).calls
            #expect(calls.map(\.id) == list.expected)
            for call in calls {
                #expect(call.state == (call.id.hasPrefix("live") ? "active" : "ended"))
            }
        }
    }

    /// Between a call's end and its final save, the store still holds its start row (active):
    /// the list shows the call once, ended, by its own snapshot.
    @Test func aCallWhoseLastSaveIsOnItsWayIsListedOnceAsEnded() async throws {
        let (control, store) = try await Self.populated()
        try await store.save(try #require(await control.snapshot(callID: "live-1")))
        await control.end("live-1", outcome: .callerHangup)
        try await TestServer.with(control: control, records: store) { server in
            let all = try await server.request(.get, "/v1/calls").decoded(CallList.self).calls
            #expect(all.map(\.id) == ["live-1", "done-2", "done-1"])
            #expect(all.first?.state == "ended" && all.first?.outcome == .callerHangup)
            let byOutcome = try await server.request(.get, "/v1/calls?outcome=caller_hangup").decoded(CallList.self).calls
            #expect(byOutcome.map(\.id) == ["live-1", "done-2"])
            #expect(try await server.request(.get, "/v1/calls?state=active").decoded(CallList.self).calls.isEmpty)
        }
    }

    @Test(arguments: [
        ("?state=everything", "state"), ("?outcome=exploded", "outcome"), ("?limit=0", "limit"), ("?limit=ten", "limit"),
        ("?from=yesterday", "from"), ("?to=2026-13-45", "to"),
    ])
    func listRejectsBadParameters(_ query: String, _ parameter: String) async throws {
        try await TestServer.with { server in
            let response = try await server.request(.get, "/v1/calls" + query)
            #expect(response.status == 400)
            #expect(response.apiError?.code == "invalid_parameter")
            #expect(response.apiError?.message.contains("\"\(parameter)\"") == true, "\(response.text)")
        }
    }

    @Test func showReturnsLiveAndStoredCallsInFull() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let live = try await server.request(.get, "/v1/calls/live-1").decoded(CallDetail.self)
            #expect(live.state == "active")
            #expect(live.call == SampleRecords.call(id: "live-1", caller: "1003", startedAfter: 300, outcome: nil))

            let stored = try await server.request(.get, "/v1/calls/done-2")
            #expect(stored.status == 200)
            let detail = try stored.decoded(CallDetail.self)
            #expect(detail.state == "ended")
            #expect(detail.call == (try await store.record(id: "done-2")))
            // Spot-check the wire names clients rely on.
            #expect(stored.text.contains(#""first_rtp_packet_ms":640"#))
            #expect(stored.text.contains(#""channel_id":"chan-done-2""#))
            #expect(stored.text.contains(#""interrupted":true"#))

            let missing = try await server.request(.get, "/v1/calls/nope")
            #expect(missing.status == 404)
            #expect(missing.apiError?.code == "call_not_found")
        }
    }

    @Test func hangUpActsOnLiveCallsOnly() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let response = try await server.request(.delete, "/v1/calls/live-1")
            #expect(response.status == 202)
            #expect(try response.decoded(CallActionResult.self) == CallActionResult(id: "live-1", status: "hanging_up"))
            #expect(await control.actions == [.hangUp("live-1")])

            let ended = try await server.request(.delete, "/v1/calls/done-1")
            #expect(ended.status == 409)
            #expect(ended.apiError?.code == "call_ended")
            let unknown = try await server.request(.delete, "/v1/calls/nope")
            #expect(unknown.status == 404)
            #expect(await control.actions.count == 1)
        }
    }

    @Test func sayPassesTextAndInterruptFlag() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let now = try await server.request(.post, "/v1/calls/live-1/say", json: #"{"text":"  Um momento, por favor. ","interrupt":true}"#)
            #expect(now.status == 202)
            #expect(try now.decoded(CallActionResult.self).status == "speaking")
            let later = try await server.request(.post, "/v1/calls/live-1/say", json: #"{"text":"Obrigado"}"#)
            #expect(try later.decoded(CallActionResult.self).status == "queued")
            #expect(
                await control.actions == [
                    .say("live-1", text: "Um momento, por favor.", interrupt: true), .say("live-1", text: "Obrigado", interrupt: false),
                ])
            let unknown = try await server.request(.post, "/v1/calls/nope/say", json: #"{"text":"hi"}"#)
            #expect(unknown.status == 404)
        }
    }

    static let badBodies: [(path: String, json: String?, mentions: String)] = [
        ("say", nil, "JSON body"),
        ("say", "{not json", "not valid JSON"),
        ("say", #"{"interrupt":true}"#, "\"text\""),
        ("say", #"{"text":42}"#, "\"text\""),
        ("say", #"{"text":"hi","interrupt":"yes"}"#, "\"interrupt\""),
        ("say", #"{"text":"   "}"#, "\"text\" is empty"),
        ("say", #"{"text":"\#(String(repeating: "a", count: 2001))"}"#, "at most 2000"),
        ("transfer", #"{}"#, "\"destination\""),
        ("transfer", #"{"destination":""}"#, "\"destination\" is empty"),
        ("transfer", #"{"destination":"PJSIP/1002 now"}"#, "\"destination\""),
        // Each of these crashed ura or reached Asterisk before destinations were parsed.
        ("transfer", #"{"destination":","}"#, "\"destination\" has an empty part"),
        ("transfer", #"{"destination":",,"}"#, "\"destination\" has an empty part"),
        ("transfer", #"{"destination":"a,b,c,d"}"#, "4 comma-separated parts"),
        ("transfer", #"{"destination":"sales,s,0"}"#, "priorities start at 1"),
        ("transfer", #"{"destination":"sales,s,x y"}"#, "U+20"),
        ("transfer", #"{"destination":"PJSIP/1001&PJSIP/00900"}"#, "\"&\" in the endpoint resource"),
        ("transfer", #"{"destination":"PJSIP/1001,tT"}"#, "\",\" in the endpoint resource"),
        ("transfer", #"{"destination":"/1001"}"#, "no technology"),
        ("transfer", #"{"destination":"PJSIP/"}"#, "no resource"),
        ("transfer", #"{"destination":"sales,_X.,1"}"#, "pattern"),
        ("transfer", #"{"destination":"100\n"}"#, "U+A"),
        ("transfer", #"{"destination":"\#(String(repeating: "1", count: 129))"}"#, "at most 128"),
    ]

    @Test func sayAndTransferRejectBadBodiesSayingWhatIsWrong() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            for bad in Self.badBodies {
                let response = try await server.request(.post, "/v1/calls/live-1/\(bad.path)", json: bad.json)
                #expect(response.status == 400, "\(bad.json ?? "no body")")
                #expect(response.apiError?.code == "invalid_request")
                #expect(response.apiError?.message.contains(bad.mentions) == true, "\(response.text)")
            }
            #expect(await control.actions.isEmpty)
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let text = String(repeating: "a", count: 70_000)
            let response = try await server.request(.post, "/v1/calls/live-1/say", json: #"{"text":"\#(text)"}"#)
            #expect(response.status == 413)
            #expect(response.apiError?.code == "payload_too_large")
            #expect(await control.actions.isEmpty)
        }
    }

    @Test func transferPassesTheDestination() async throws {
        let (control, store) = try await Self.populated()
        try await TestServer.with(control: control, records: store) { server in
            let response = try await server.request(.post, "/v1/calls/live-1/transfer", json: #"{"destination":"PJSIP/1002"}"#)
            #expect(response.status == 202)
            #expect(await control.actions.first == .transfer("live-1", destination: "PJSIP/1002"))
            let dialplan = try await server.request(.post, "/v1/calls/live-1/transfer", json: #"{"destination":"sales,s,1"}"#)
            #expect(dialplan.status == 202)
            // Destinations are passed on parsed; priority 1 is the default and not written.
            #expect(await control.actions.last == .transfer("live-1", destination: "sales,s"))
            let label = try await server.request(.post, "/v1/calls/live-1/transfer", json: #"{"destination":"sales,s,start"}"#)
            #expect(label.status == 202)
            #expect(await control.actions.last == .transfer("live-1", destination: "sales,s,start"))
            let ended = try await server.request(.post, "/v1/calls/done-1/transfer", json: #"{"destination":"1002"}"#)
            #expect(ended.status == 409)
        }
    }

    @Test func originateStartsACallAndNamesIt() async throws {
        let control = FakeCallControl()
        try await TestServer.with(control: control) { server in
            let response = try await server.request(
                .post, "/v1/calls",
                json: #"{"endpoint":"PJSIP/1001","bot":"flow:clinica","caller_id":"ura <4000>","variables":{"LANG":"pt_BR"}}"#)
            #expect(response.status == 201)
            let result = try response.decoded(CallActionResult.self)
            #expect(result.status == "originating")
            #expect(response.head.header("Location") == "/v1/calls/\(result.id)")
            #expect(
                await control.actions == [
                    .originate(OriginateRequest(endpoint: "PJSIP/1001", bot: .flow(name: "clinica"), callerID: "ura <4000>", variables: ["LANG": "pt_BR"]))
                ])
        }
    }

    @Test(arguments: [
        (#"{"bot":"echo"}"#, "\"endpoint\""),
        (#"{"endpoint":"1001","bot":"echo"}"#, "TECH/resource"),
        (#"{"endpoint":"PJSIP/","bot":"echo"}"#, "TECH/resource"),
        (#"{"endpoint":"PJSIP/1001","bot":"genius"}"#, "\"bot\""),
        (#"{"endpoint":"PJSIP/1001","bot":"flow:"}"#, "\"bot\""),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"BAD NAME":"x"}}"#, "BAD NAME"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"A":1}}"#, "variables"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","caller_id":""}"#, "caller_id"),
        // Hostile originates: each would have smuggled a Stasis argument or reached another file.
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"A":"x,bot=llm"}}"#, "separate Stasis arguments"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"A":"x|bot=llm"}}"#, "separate Stasis arguments"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"bot":"llm"}}"#, "reserved"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"ura_call_id":"ura-000000000001"}}"#, "reserved"),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","variables":{"A":"line\nbreak"}}"#, "control character"),
        (#"{"endpoint":"PJSIP/1001","bot":"flow:../../etc/passwd"}"#, "never a path"),
        (#"{"endpoint":"PJSIP/1001","bot":"flow:/etc/passwd"}"#, "never a path"),
        (#"{"endpoint":"PJSIP/1001&PJSIP/00900","bot":"echo"}"#, "\"&\""),
        (#"{"endpoint":"PJSIP/1001","bot":"echo","caller_id":"a\r\nb"}"#, "caller_id"),
    ])
    func originateRejectsBadBodies(_ json: String, _ mentions: String) async throws {
        let control = FakeCallControl()
        try await TestServer.with(control: control) { server in
            let response = try await server.request(.post, "/v1/calls", json: json)
            #expect(response.status == 400)
            #expect(response.apiError?.message.contains(mentions) == true, "\(response.text)")
            #expect(await control.actions.isEmpty)
        }
    }

    @Test(arguments: [
        (CallControlError.unavailable(reason: "ARI is disconnected"), 503, "unavailable"),
        (CallControlError.failed(reason: "Asterisk answered 500"), 502, "call_control_failed"),
        (CallControlError.invalid(reason: "endpoint PJSIP/9 does not exist"), 400, "invalid_request"),
    ])
    func controlFailuresMapToStatusAndCode(_ error: CallControlError, _ status: Int, _ code: String) async throws {
        let control = FakeCallControl()
        await control.fail(with: error)
        try await TestServer.with(control: control) { server in
            let response = try await server.request(.post, "/v1/calls", json: #"{"endpoint":"PJSIP/1001","bot":"echo"}"#)
            #expect(response.status == status)
            #expect(response.apiError?.code == code)
        }
    }

    @Test func aRecordingIsServedAsWAVWithTheTokenOnly() async throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "ura-rec-\(UUID().uuidString).wav").path
        let wav = Data("RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + Data(repeating: 7, count: 300_000)
        FileManager.default.createFile(atPath: path, contents: wav)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (control, store) = try await Self.populated()
        var recorded = SampleRecords.call(id: "rec-1", startedAfter: 120)
        recorded.recording = CallRecordingFile(path: path, durationSeconds: 9.4, mode: "both")
        try await store.save(recorded)
        var gone = SampleRecords.call(id: "rec-2", startedAfter: 180)
        gone.recording = CallRecordingFile(path: path + ".missing", durationSeconds: 3, mode: "caller")
        gone.instance = "ura-7"
        try await store.save(gone)
        try await TestServer.with(control: control, records: store) { server in
            let response = try await server.request(.get, "/v1/calls/rec-1/recording")
            #expect(response.status == 200 && response.body == wav)
            #expect(response.head.header("Content-Type") == "audio/wav")
            let detail = try await server.request(.get, "/v1/calls/rec-1").decoded(CallDetail.self)
            #expect(detail.call.recording == recorded.recording)
            #expect(try await server.request(.get, "/v1/calls/rec-1/recording", authorization: nil).status == 401)
            for (id, problem) in [("done-1", "was not recorded"), ("live-1", "once the call has ended"), ("rec-2", "instance ura-7"), ("nope", "no call")] {
                let missing = try await server.request(.get, "/v1/calls/\(id)/recording")
                #expect(missing.status == 404, "\(id)")
                #expect(missing.apiError?.code == (id == "nope" ? "call_not_found" : "recording_not_found"), "\(id)")
                #expect(missing.apiError?.message.contains(problem) == true, "\(missing.text)")
            }
        }
    }
}
