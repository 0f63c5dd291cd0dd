@testable import OperatorAPI
import Testing

/// The cap on event streams counts open subscriptions, and a stream's slot comes back even when
/// its response body never runs (a client that left before the answer was written).
@Suite struct EventStreamSlotTests {
    @Test func subscriptionsBeyondTheLimitAreRefusedUntilOneEnds() {
        let hub = CallEventHub()
        let first = hub.subscribe(limit: 2)
        let second = hub.subscribe(callID: "c1", limit: 2)
        #expect(first != nil && second != nil)
        #expect(hub.subscribe(limit: 2) == nil)
        #expect(hub.subscriberCount == 2, "a refused subscription takes no slot")
        first?.cancel()
        #expect(hub.subscriberCount == 1)
        #expect(hub.subscribe(limit: 2) != nil)
    }

    /// The events route relies on this when hummingbird drops a response without running its body.
    @Test func droppingASubscriptionUnreadGivesItsSlotBack() {
        let hub = CallEventHub()
        var subscription = hub.subscribe(limit: 1)
        #expect(subscription != nil)
        #expect(hub.subscribe(limit: 1) == nil)
        subscription = nil
        #expect(hub.subscriberCount == 0)
        #expect(hub.subscribe(limit: 1) != nil)
    }
}
