import Foundation
import HTTP
@testable import OperatorAPI
import Synchronization
import Testing

/// One client cannot take the whole of ura: event streams are capped, placing calls is rate-limited.
@Suite struct AbuseLimitsTests {
    @Test func eventStreamsBeyondTheCapAre503UntilOneCloses() async throws {
        try await TestServer.with(eventsHeartbeat: .milliseconds(100), limits: OperatorLimits(maximumEventStreams: 2)) { server in
            let request = try server.makeRequest(.get, "/v1/events")
            let (ready, readySink) = AsyncStream<Int>.makeStream()
            let first = Task {
                let (head, body) = try await server.client.stream(request)
                readySink.yield(head.status)
                for try await _ in body {}
            }
            let second = Task {
                let (head, body) = try await server.client.stream(request)
                readySink.yield(head.status)
                for try await _ in body {}
            }
            var statuses = ready.makeAsyncIterator()
            #expect(await statuses.next() == 200)
            #expect(await statuses.next() == 200)

            let third = try await server.request(.get, "/v1/events")
            #expect(third.status == 503)
            #expect(third.apiError?.code == "too_many_event_streams")
            #expect(third.head.header("Retry-After") == "5")
            let oneCall = try await server.request(.get, "/v1/calls/live-1/events")
            #expect(oneCall.status == 503, "one call's stream counts against the same cap")

            first.cancel()
            // The server learns the client left at its next keepalive write.
            let deadline = ContinuousClock.now + .seconds(10)
            while server.events.subscriberCount > 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(server.events.subscriberCount == 1)
            let again = Task {
                let (head, body) = try await server.client.stream(request)
                readySink.yield(head.status)
                for try await _ in body {}
            }
            #expect(await statuses.next() == 200)
            again.cancel()
            second.cancel()
        }
    }

    @Test func originateBeyondTheRateIs429WithRetryAfter() async throws {
        try await TestServer.with(limits: OperatorLimits(originatesPerMinute: 1, originateBurst: 2)) { server in
            let body = #"{"endpoint":"PJSIP/1001","bot":"echo"}"#
            for _ in 0..<5 {
                let refused = try await server.request(.post, "/v1/calls", json: body, authorization: "Bearer wrong")
                #expect(refused.status == 401, "unauthenticated requests do not use up the bucket")
            }
            #expect(try await server.request(.post, "/v1/calls", json: body).status == 201)
            #expect(try await server.request(.post, "/v1/calls/", json: body).status == 201)
            let limited = try await server.request(.post, "/v1/calls", json: body)
            #expect(limited.status == 429)
            #expect(limited.apiError?.code == "rate_limited")
            let retryAfter = try #require(limited.head.header("Retry-After").flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            let malformed = try await server.request(.post, "/v1/calls", json: "{")
            #expect(malformed.status == 429, "every originate request counts, well-formed or not")
            #expect(await server.control.actions.count == 2)
            #expect(try await server.request(.get, "/v1/calls").status == 200, "other routes are not limited")
        }
    }

    @Test func theBucketRefillsAtItsRateUpToItsBurst() {
        let clock = Mutex(ContinuousClock.now)
        let bucket = TokenBucket(capacity: 2, perSecond: 0.5) { clock.withLock { $0 } }
        func advance(_ duration: Duration) { clock.withLock { $0 = $0.advanced(by: duration) } }
        #expect(bucket.take() == nil)
        #expect(bucket.take() == nil)
        #expect(bucket.take() == 2)
        advance(.seconds(1))
        #expect(bucket.take() == 1)
        advance(.seconds(1))
        #expect(bucket.take() == nil)
        advance(.seconds(3600))
        #expect(bucket.take() == nil)
        #expect(bucket.take() == nil)
        #expect(bucket.take() != nil, "an idle hour refills the burst, not more")
    }
}
