import CallRecordsTesting
import Foundation
import Synchronization
import OperatorAPI
import Testing

@Suite struct CallEventHubTests {
    static func state(_ id: String, _ state: String) -> CallEvent {
        .stateChanged(callID: id, state: state, at: SampleRecords.base)
    }

    @Test func subscribersGetTheirCallsEventsInOrder() async {
        let hub = CallEventHub()
        let one = hub.subscribe(callID: "one")
        let all = hub.subscribe()
        hub.publish(Self.state("one", "a"))
        hub.publish(Self.state("two", "b"))
        hub.publish(Self.state("one", "c"))
        hub.finish()
        var forOne: [CallEvent] = []
        for await event in one { forOne.append(event) }
        var forAll: [CallEvent] = []
        for await event in all { forAll.append(event) }
        #expect(forOne == [Self.state("one", "a"), Self.state("one", "c")])
        #expect(forAll == [Self.state("one", "a"), Self.state("two", "b"), Self.state("one", "c")])
    }

    @Test func aFullSubscriberLosesItsOldestEventsAndTheLossIsCounted() async {
        let reported = Counter()
        let hub = CallEventHub(bufferSize: 3) { reported.add($0) }
        let slow = hub.subscribe()
        for index in 0..<10 { hub.publish(Self.state("c", "s\(index)")) }
        hub.finish()
        var received: [CallEvent] = []
        for await event in slow { received.append(event) }
        #expect(received == (7..<10).map { Self.state("c", "s\($0)") })
        #expect(slow.droppedEvents == 7)
        #expect(hub.droppedEvents == 7)
        #expect(reported.value == 7)
    }

    @Test func cancellingOrFinishingForgetsSubscribers() async {
        let hub = CallEventHub()
        let first = hub.subscribe()
        let second = hub.subscribe(callID: "x")
        #expect(hub.subscriberCount == 2)
        first.cancel()
        #expect(hub.subscriberCount == 1)
        withExtendedLifetime(second) { hub.finish() }
        #expect(hub.subscriberCount == 0)
        let late = hub.subscribe()
        var count = 0
        for await _ in late { count += 1 }
        #expect(count == 0)
    }

    @Test func aSubscriptionNobodyHoldsIsForgotten() {
        let hub = CallEventHub()
        do {
            let subscription = hub.subscribe()
            #expect(subscription.droppedEvents == 0)
            #expect(hub.subscriberCount == 1)
        }
        #expect(hub.subscriberCount == 0)
    }

    @Test func eventsEncodeWithTheirCallIDAndName() throws {
        let event = CallEvent.transcript(callID: "c9", turn: 2, text: "oi", isFinal: false)
        #expect(event.name == "transcript_partial")
        let json = try #require(try JSONSerialization.jsonObject(with: OperatorJSON.encoder().encode(event)) as? [String: Any])
        #expect(json["call_id"] as? String == "c9")
        #expect(json["turn"] as? Int == 2)
        #expect(json["text"] as? String == "oi")
    }
}

/// A thread-safe tally for callbacks.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func add(_ value: Int) { storage.withLock { $0 += value } }
    var value: Int { storage.withLock { $0 } }
}
