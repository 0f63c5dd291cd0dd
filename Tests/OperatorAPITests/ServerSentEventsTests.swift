import CallRecords
import CallRecordsTesting
import Foundation
import HTTP
import OperatorAPI
import Testing

/// Live events over SSE, read by a real HTTP client while a simulated call publishes them.
@Suite struct ServerSentEventsTests {
    struct Message: Equatable {
        let event: String
        let data: [String: Any]

        static func == (lhs: Message, rhs: Message) -> Bool { lhs.event == rhs.event && NSDictionary(dictionary: lhs.data) == NSDictionary(dictionary: rhs.data) }
    }

    /// Parses `text/event-stream` text into messages, skipping comments.
    static func parse(_ text: String) throws -> [Message] {
        try text.components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: String?
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let event, let data else { return nil }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            return Message(event: event, data: object)
        }
    }

    /// A short call: start, a turn with partials, a barge-in, latencies, end.
    static func simulatedCall(_ id: String) -> [CallEvent] {
        let start = SampleRecords.base
        return [
            .callStarted(callID: id, callerNumber: "1001", bot: "echo", at: start),
            .stateChanged(callID: id, state: "listening", at: start.addingTimeInterval(0.5)),
            .transcript(callID: id, turn: 0, text: "quero", isFinal: false),
            .transcript(callID: id, turn: 0, text: "quero marcar", isFinal: false),
            .transcript(callID: id, turn: 0, text: "quero marcar uma consulta", isFinal: true),
            .botSpeech(callID: id, turn: 0, text: "Claro, para que dia?"),
            .latencies(callID: id, turn: 0, latencies: TurnLatencies(recognizerFinalMs: 180, firstBrainTokenMs: 420, firstSynthesizedAudioMs: 610, firstRTPPacketMs: 640)),
            .bargeIn(callID: id, turn: 0, isFalse: false, stopLatencyMs: 35),
            .callEnded(callID: id, outcome: .callerHangup, at: start.addingTimeInterval(12)),
        ]
    }

    /// Reads the stream to its end (or to `count` messages), concatenating the chunks.
    static func read(_ body: AsyncThrowingStream<Data, any Error>, until count: Int? = nil) async throws -> [Message] {
        var text = ""
        for try await chunk in body {
            text += String(decoding: chunk, as: UTF8.self)
            if let count, try parse(text).count >= count { break }
        }
        return try parse(text)
    }

    @Test func aCallStreamCarriesTheWholeCallInOrderAndEndsWithIt() async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "c1", outcome: nil)])
        try await TestServer.with(control: control) { server in
            let (head, body) = try await server.client.stream(server.makeRequest(.get, "/v1/calls/c1/events"))
            #expect(head.status == 200)
            #expect(head.header("Content-Type")?.hasPrefix("text/event-stream") == true)
            // Another call's events must not show up on this stream.
            server.events.publish(.callStarted(callID: "other", callerNumber: nil, bot: "echo", at: SampleRecords.base))
            for event in Self.simulatedCall("c1") { server.events.publish(event) }

            let messages = try await Self.read(body)
            #expect(messages.map(\.event) == [
                "call_started", "state_changed", "transcript_partial", "transcript_partial", "transcript_final", "bot_speech",
                "latencies", "barge_in", "call_ended",
            ])
            #expect(messages.allSatisfy { $0.data["call_id"] as? String == "c1" })
            #expect(messages[4].data["text"] as? String == "quero marcar uma consulta")
            let latencies = try #require(messages[6].data["latencies"] as? [String: Any])
            #expect(latencies["first_rtp_packet_ms"] as? Int == 640)
            #expect(messages[7].data["stop_latency_ms"] as? Int == 35)
            #expect(messages[8].data["outcome"] as? String == "caller_hangup")
            #expect(messages[8].data["at"] as? String == OperatorJSON.formatTime(SampleRecords.base.addingTimeInterval(12)))
        }
    }

    @Test(.timeLimit(.minutes(1))) func aCallStreamEndsWhenItsCallIsGoneEvenIfCallEndedWasLost() async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "c1", outcome: nil)])
        try await TestServer.with(control: control, eventsHeartbeat: .milliseconds(100)) { server in
            let (_, body) = try await server.client.stream(server.makeRequest(.get, "/v1/calls/c1/events"))
            server.events.publish(.stateChanged(callID: "c1", state: "listening", at: SampleRecords.base))
            await control.vanish("c1")
            // Keepalives alone would hold it open for good; reading to the end proves it ended.
            let messages = try await Self.read(body)
            #expect(messages.map(\.event) == ["state_changed"])
        }
    }

    @Test func theAllCallsStreamInterleavesCalls() async throws {
        try await TestServer.with { server in
            let (head, body) = try await server.client.stream(server.makeRequest(.get, "/v1/events"))
            #expect(head.status == 200)
            let first = Self.simulatedCall("a")
            let second = Self.simulatedCall("b")
            for (left, right) in zip(first, second) {
                server.events.publish(left)
                server.events.publish(right)
            }
            let messages = try await Self.read(body, until: first.count + second.count)
            #expect(messages.filter { $0.data["call_id"] as? String == "a" }.count == first.count)
            #expect(messages.filter { $0.data["call_id"] as? String == "b" }.count == second.count)
        }
    }

    @Test func unknownAndEndedCallsHaveNoStream() async throws {
        let store = try SQLiteCallRecordStore(path: ":memory:")
        try await store.save(SampleRecords.call(id: "ended"))
        try await TestServer.with(records: store) { server in
            let unknown = try await server.request(.get, "/v1/calls/nope/events")
            #expect(unknown.status == 404)
            #expect(unknown.apiError?.code == "call_not_found")
            let ended = try await server.request(.get, "/v1/calls/ended/events")
            #expect(ended.status == 409)
            #expect(ended.apiError?.code == "call_ended")
            #expect(server.events.subscriberCount == 0)
        }
    }

    @Test func aClientThatLeavesIsUnsubscribed() async throws {
        let control = FakeCallControl(calls: [SampleRecords.call(id: "c1", outcome: nil)])
        try await TestServer.with(control: control) { server in
            let first = try await Self.openAndReadOne(server)
            #expect(first.event == "state_changed")
            // The client dropped its stream, which aborts the transfer; the server's next write fails and it lets go.
            var attempts = 0
            while server.events.subscriberCount > 0, attempts < 200 {
                server.events.publish(.stateChanged(callID: "c1", state: "speaking", at: SampleRecords.base))
                try await Task.sleep(for: .milliseconds(50))
                attempts += 1
            }
            #expect(server.events.subscriberCount == 0)
        }
    }

    /// Opens the call's stream, reads its first message and lets the stream go.
    private static func openAndReadOne(_ server: TestServer) async throws -> Message {
        let (_, body) = try await server.client.stream(server.makeRequest(.get, "/v1/calls/c1/events"))
        #expect(server.events.subscriberCount == 1)
        server.events.publish(.stateChanged(callID: "c1", state: "listening", at: SampleRecords.base))
        return try #require(try await read(body, until: 1).first)
    }
}
