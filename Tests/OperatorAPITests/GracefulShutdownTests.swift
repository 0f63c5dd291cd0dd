import CallRecords
import CallRecordsTesting
import Foundation
import HTTP
import Logging
import OperatorAPI
import Prometheus
import ServiceLifecycleTestKit
import Testing

@Suite struct GracefulShutdownTests {
    @Test func gracefulShutdownClosesOpenEventStreamsAndTheServerStops() async throws {
        let events = CallEventHub()
        let dependencies = OperatorDependencies(
            control: FakeCallControl(calls: [SampleRecords.call(id: "c1", outcome: nil)]), records: try SQLiteCallRecordStore(path: ":memory:"),
            events: events, readiness: FakeReadiness(), metrics: PrometheusCollectorRegistry())
        var logger = Logger(label: "operator-api-test")
        logger.logLevel = .critical
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let server = OperatorServer(host: "127.0.0.1", port: 0, token: nil, dependencies: dependencies, logger: logger) { portSink.yield($0) }
        let client = HTTPClient(name: "shutdown-test")
        defer { client.shutdown() }

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let url = try #require(URL(string: "http://127.0.0.1:\(port)/v1/events"))
                // The timeout is a guard, not a measurement: a stream that never closed would otherwise hang the run.
                let (_, body) = try await client.stream(HTTPRequest(method: .get, url: url, timeout: .seconds(30)))
                #expect(events.subscriberCount == 1)

                trigger.triggerGracefulShutdown()
                var text = ""
                for try await chunk in body { text += String(decoding: chunk, as: UTF8.self) }
                #expect(text.hasPrefix(": stream open"))
                try await group.next()  // the server's run() returned
            }
        }
        #expect(events.subscriberCount == 0)
    }
}
