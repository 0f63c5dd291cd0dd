import Testing
@testable import Providers

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300), budget: .seconds(2))

    @Test(arguments: [(1, 0.0, 50), (1, 1.0, 100), (2, 1.0, 200), (3, 1.0, 300), (3, 0.0, 150)])
    func backoffDoublesWithJitterUpToTheCap(retry: Int, jitter: Double, milliseconds: Int) {
        #expect(policy.delay(beforeRetry: retry, elapsed: .zero, retryAfter: nil, jitter: jitter) == .milliseconds(milliseconds))
    }

    @Test func retryAfterWinsAndTheBudgetBounds() {
        #expect(policy.delay(beforeRetry: 1, elapsed: .zero, retryAfter: .seconds(1), jitter: 0.5) == .seconds(1))
        #expect(policy.delay(beforeRetry: 1, elapsed: .milliseconds(1500), retryAfter: .seconds(1), jitter: 0.5) == nil)
        #expect(policy.delay(beforeRetry: 4, elapsed: .zero, retryAfter: nil, jitter: 0.5) == nil)
        #expect(RetryPolicy.never.delay(beforeRetry: 1, elapsed: .zero, retryAfter: nil, jitter: 0) == nil)
    }

    @Test(arguments: [("2", 2000), (" 0.5 ", 500), ("0", 0)])
    func parsesRetryAfterSeconds(header: String, milliseconds: Int) {
        #expect(RetryPolicy.retryAfter(header) == .milliseconds(milliseconds))
    }

    @Test(arguments: [nil, "", "soon", "-1", "Wed, 21 Oct 2015 07:28:00 GMT"])
    func ignoresOtherRetryAfterForms(header: String?) {
        #expect(RetryPolicy.retryAfter(header) == nil)
    }
}
