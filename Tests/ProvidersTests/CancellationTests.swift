import Foundation
import LoopbackHTTPServer
import Testing
import Voice
@testable import Providers

/// Barge-in: a consumer that stops listening aborts the provider's transfer.
@Suite("Cancellation")
struct CancellationTests {
    /// Waits, a bounded number of times, for the server to see its connections closed.
    func openConnectionsAfterSettling(_ server: FakeServer) async throws -> Int {
        for _ in 0..<400 where server.server.openConnectionCount > 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        return server.server.openConnectionCount
    }

    @Test(arguments: [true, false])
    func stoppingTheBrainsConsumerClosesTheConnection(cancel: Bool) async throws {
        let events = ChatWireFixtures.openAI.components(separatedBy: "\n\n")
        let gate = LoopbackHTTPServer.Response.Gate()
        let response = Response(
            status: 200, headers: [("Content-Type", "text/event-stream")],
            fault: .gated(before: [Data((events[0] + "\n\n" + events[1] + "\n\n").utf8)], gate: gate, after: [Data(events.dropFirst(2).joined(separator: "\n\n").utf8)]))
        let server = try await FakeServer([response])
        defer { server.close() }
        let brain = OpenAIChatBrain(endpoint: server.endpoint(), server: server.access, model: "m")
        let (firstText, firstContinuation) = AsyncStream<String>.makeStream()
        let consumer = Task {
            var heard = ""
            for try await output in brain.respond(to: .greeting, in: Conversation(language: "en-US")) {
                if case .text(let text) = output {
                    heard += text
                    firstContinuation.yield(text)
                }
            }
            return heard
        }
        for await text in firstText {
            #expect(text == "Our hours")
            break
        }
        var heard: String?
        if cancel {
            // Let the cancellation land before the server may finish the answer: a transfer that
            // completes keeps its connection for reuse, which is not what this case checks.
            consumer.cancel()
            heard = try? await consumer.value
            // The consumer has ended, but the brain's own request task learns of it through the
            // stream's termination and then aborts the transfer on the curl thread: give that a
            // moment on a loaded machine, or the rest of the answer can still complete it.
            try await Task.sleep(for: .milliseconds(500))
            gate.open()
        } else {
            gate.open()
            heard = try? await consumer.value
        }
        if cancel {
            #expect(try await openConnectionsAfterSettling(server) == 0)
        } else {
            #expect(heard == "Our hours are nine to five.")
            // A finished transfer leaves its connection open for the next request.
            #expect(server.server.openConnectionCount == 1)
        }
    }
}
