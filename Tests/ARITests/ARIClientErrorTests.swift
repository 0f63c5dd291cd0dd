import ARI
import Synchronization
import Foundation
import HTTP
import LoopbackHTTPServer
import Testing

/// Failures become ``ARIError`` with status and Asterisk's message; transport trouble is wrapped;
/// cancellation aborts; the password shows up nowhere.
@Suite struct ARIClientErrorTests {
    @Test(arguments: [400, 401, 403, 404, 409, 412, 422, 500, 501, 503])
    func errorStatusCarriesAsterisksMessage(status: Int) async throws {
        try await ARIClientHarness.run(handler: { _ in .json(status, #"{"message":"reason \#(status)"}"#) }) { harness in
            await #expect {
                try await harness.client.answer("c1")
            } throws: { error in
                error as? ARIError == .http(operation: "channels.answer", status: status, message: "reason \(status)", error: nil, body: nil)
            }
        }
    }

    @Test func allocationFailureCarriesTheErrorMember() async throws {
        try await ARIClientHarness.run(handler: { _ in .json(500, #"{"error":"Allocation failed"}"#) }) { harness in
            do {
                _ = try await harness.client.createBridge()
                Issue.record("no error")
            } catch let error as ARIError {
                #expect(error.status == 500)
                #expect(error.message == "Allocation failed")
                #expect(error.description.contains("Allocation failed"))
            }
        }
    }

    @Test func nonJSONErrorBodyIsKeptAsText() async throws {
        try await ARIClientHarness.run(handler: { _ in LoopbackHTTPServer.Response(status: 503, body: Data("booting".utf8)) }) { harness in
            await #expect {
                try await harness.client.ping()
            } throws: { error in
                error as? ARIError == .http(operation: "asterisk.ping", status: 503, message: nil, error: nil, body: "booting")
            }
        }
    }

    /// Each probe of captures/ari-errors-22.10.1.json, replayed: the client reports Asterisk's status and message.
    @Test func capturedAsteriskErrorsMapToARIError() async throws {
        let probes = try Fixtures.foundationJSON("ari-errors-22.10.1.json") as! [String: [String: Any]]
        let calls: [String: @Sendable (ARIClient) async throws -> Void] = [
            "answer_nonexistent_channel": { try await $0.answer("no-such-channel") },
            "get_nonexistent_channel": { _ = try await $0.channel("no-such-channel") },
            "delete_nonexistent_channel": { try await $0.hangup("no-such-channel") },
            "delete_nonexistent_bridge": { try await $0.deleteBridge("no-such-bridge") },
            "addChannel_nonexistent_bridge": { try await $0.addChannels(["x"], to: "no-such-bridge") },
            "externalMedia_missing_app": { _ = try await $0.externalMedia(.init(app: "", format: "ulaw", externalHost: "127.0.0.1:40000")) },
            "externalMedia_missing_format": { _ = try await $0.externalMedia(.init(app: "voicebot", format: "", externalHost: "127.0.0.1:40000")) },
            "externalMedia_bad_format": { _ = try await $0.externalMedia(.init(app: "voicebot", format: "nosuchcodec", externalHost: "127.0.0.1:40000")) },
            "externalMedia_missing_host": { _ = try await $0.externalMedia(.init(app: "voicebot", format: "ulaw", externalHost: nil)) },
            "variable_missing_param": { _ = try await $0.variable("", of: ChannelID("no-such-channel")) },
            "wrong_password": { _ = try await $0.ping() },
        ]
        #expect(Set(calls.keys) == Set(probes.keys))
        for (name, probe) in probes {
            let status = probe["status"] as! Int
            // One probe stores its body as the JSON text; the others as a JSON object.
            let body = try (probe["body"] as? String).map { Data($0.utf8) } ?? Fixtures.bytes(probe["body"]!)
            let expectedMessage = (try JSONSerialization.jsonObject(with: body) as! [String: Any])["message"] as! String
            try await ARIClientHarness.run(handler: { _ in
                LoopbackHTTPServer.Response(status: status, headers: [("Content-Type", "application/json")], body: body)
            }) { harness in
                do {
                    try await calls[name]!(harness.client)
                    Issue.record("\(name): no error")
                } catch let error as ARIError {
                    #expect(error.status == status, "\(name)")
                    #expect(error.message == expectedMessage, "\(name)")
                }
            }
        }
    }

    @Test func slowAnswerTimesOut() async throws {
        try await ARIClientHarness.run(timeout: .milliseconds(300), handler: { _ in .json(200, "{}", delay: .seconds(3)) }) { harness in
            await #expect {
                try await harness.client.answer("c1")
            } throws: { error in
                guard case .transport(let operation, .timedOut)? = error as? ARIError else { return false }
                return operation == "channels.answer"
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheRequest() async throws {
        try await ARIClientHarness.run(handler: { _ in LoopbackHTTPServer.Response(status: 200, fault: .neverAnswer) }) { harness in
            let client = harness.client
            let call = Task { try await client.answer("c1") }
            // Wait (bounded) until the request is really on the wire, then cancel.
            for _ in 0..<500 where harness.server.requests.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(harness.server.requests.count == 1)
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
        }
    }

    @Test func connectionDroppedMidResponseIsATransportError() async throws {
        let body = Data(ARIClientRequestTests.channel.utf8)
        try await ARIClientHarness.run(handler: { _ in
            LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "application/json")], body: body, fault: .closeMidResponse)
        }) { harness in
            await #expect {
                try await harness.client.channel("c1")
            } throws: { error in
                if case .transport? = error as? ARIError { true } else { false }
            }
        }
    }

    @Test func refusedConnectionIsATransportError() async throws {
        let server = try await LoopbackHTTPServer { _ in .empty(204) }
        let url = server.baseURL
        server.shutdown()
        let http = HTTPClient(name: "ari-test-refused")
        defer { http.shutdown() }
        let client = ARIClient(configuration: .init(url: url, username: "u", password: "p"), httpClient: http, logger: .init(label: "t"))
        await #expect {
            try await client.ping()
        } throws: { error in
            guard case .transport(_, .connectionFailed)? = error as? ARIError else { return false }
            return true
        }
    }

    @Test func unreadableSuccessBodyIsADecodingError() async throws {
        try await ARIClientHarness.run(handler: { _ in .json(200, #"{"id":"c1"}"#) }) { harness in
            await #expect {
                try await harness.client.channel("c1")
            } throws: { error in
                error as? ARIError == .decoding(operation: "channels.get", .missingField(model: "Channel", field: "name"))
            }
        }
    }

    @Test func passwordAppearsInNoLogLineAndNoError() async throws {
        let responses: [LoopbackHTTPServer.Response] = [
            .json(401, #"{"message":"Authentication required"}"#), .json(200, "{}", delay: .seconds(2)), .empty(204),
        ]
        let counter = RequestCounter()
        try await ARIClientHarness.run(timeout: .milliseconds(200), handler: { _ in responses[counter.next() % responses.count] }) { harness in
            var texts: [String] = []
            for _ in responses.indices {
                do {
                    try await harness.client.answer("c1")
                } catch {
                    texts.append("\(error)")
                    texts.append(String(reflecting: error))
                }
            }
            #expect(texts.count == 4)
            texts += harness.logs.lines
            #expect(harness.logs.lines.count >= 3)
            for text in texts {
                #expect(!text.contains(ARIClientHarness.password), "leaked in: \(text)")
            }
        }
    }

    @Test func credentialsInsideTheURLAreDroppedAndNeverLeak() async throws {
        // A timeout, because transport errors are the ones that quote the URL.
        let server = try await LoopbackHTTPServer { _ in .json(200, "{}", delay: .seconds(2)) }
        let http = HTTPClient(name: "ari-test-userinfo")
        defer {
            http.shutdown()
            server.shutdown()
        }
        let url = URL(string: "http://intruder:url-secret@127.0.0.1:\(server.port)/")!
        let client = ARIClient(
            configuration: .init(url: url, username: "ura", password: "p", requestTimeout: .milliseconds(200)), httpClient: http,
            logger: .init(label: "t"))
        do {
            try await client.answer("c1")
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("127.0.0.1:\(server.port)/ari/channels/c1/answer"))
            #expect(!"\(error)".contains("url-secret"))
        }
        let request = try #require(server.requests.first)
        #expect(request.path == "/ari/channels/c1/answer")
        #expect(request.header("Authorization") == "Basic " + Data("ura:p".utf8).base64EncodedString())
    }

    @Test func capturedExternalMediaResponseDecodesWithItsRTPAddress() async throws {
        let summary = try Fixtures.foundationJSON("call-100-summary.json") as! [String: Any]
        let body = try Fixtures.bytes(summary["externalMedia_response"]!)
        try await ARIClientHarness.run(handler: { _ in
            LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "application/json")], body: body)
        }) { harness in
            let channel = try await harness.client.externalMedia(.init(app: "voicebot", format: "ulaw", externalHost: "127.0.0.1:40000"))
            #expect(channel.id == "1795696177.20")
            #expect(channel.state == .down)
            #expect(channel.channelVars?["UNICASTRTP_LOCAL_ADDRESS"] == "127.0.0.1")
            #expect(channel.channelVars?["UNICASTRTP_LOCAL_PORT"] == "10868")
        }
    }

    @Test func multiVariableAnswerDecodes() async throws {
        try await ARIClientHarness.run(handler: { _ in .json(200, #"{"variables":{"A":"1","B":{"value":"2"},"C":3}}"#) }) { harness in
            let values = try await harness.client.variables(["A", "B", "C"], of: ChannelID("c1"))
            #expect(values == ["A": "1", "B": "2"])
        }
    }
}

/// Counts requests across the server's connection threads.
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)

    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
