import Hummingbird

/// `GET /v1/events` (every call) and `GET /v1/calls/{id}/events` (one call) as Server-Sent Events.
///
/// Each ``CallEvent`` becomes one message (`event: <name>`, `data: <json>`). A comment line is
/// sent at once, so clients see the answer's head without waiting for the first event, and every
/// ``OperatorDependencies/eventsHeartbeat`` after that, so idle proxies keep the stream open and a client that went away
/// is noticed (the write fails and the subscription ends). When the subscriber's buffer
/// overflowed, a `dropped` message says how many events it lost. A one-call stream ends after
/// that call's `call_ended`, or at the first heartbeat after the call is gone.
struct EventsController {
    let dependencies: OperatorDependencies

    func register(on router: Router<OperatorRequestContext>) {
        router.get("/v1/events") { _, _ in
            stream(try subscribe(callID: nil), endingWith: nil)
        }
        router.get("/v1/calls/:id/events") { _, context in
            let id = try context.parameters.require("id")
            // Subscribe before looking the call up, so no event between the two is missed.
            let subscription = try subscribe(callID: id)
            guard await dependencies.control.snapshot(callID: id) != nil else {
                subscription.cancel()
                if try await dependencies.records.record(id: id) != nil { throw OperatorAPIError.callEnded(id) }
                throw OperatorAPIError.callNotFound(id)
            }
            return stream(subscription, endingWith: id)
        }
    }

    /// A subscription within ``OperatorLimits/maximumEventStreams``, else a 503.
    private func subscribe(callID: String?) throws -> CallEventSubscription {
        let limit = dependencies.limits.maximumEventStreams
        guard let subscription = dependencies.events.subscribe(callID: callID, limit: limit) else {
            throw OperatorAPIError.tooManyEventStreams(limit: limit)
        }
        return subscription
    }

    /// What the writer sends next: an event, or a keepalive comment.
    private enum Outgoing: Sendable {
        case event(CallEvent)
        case heartbeat
    }

    private func stream(_ subscription: CallEventSubscription, endingWith callID: String?) -> Response {
        let heartbeat = dependencies.eventsHeartbeat
        let control = dependencies.control
        let bufferSize = dependencies.events.bufferSize
        // The stream's slot comes back when the body is done or, should hummingbird never run
        // the body (the client left first), when the response is dropped: an AsyncStream whose
        // consumer side is gone terminates, and the hub forgets the subscriber.
        let body = ResponseBody { writer in
            // Bounded like the hub's buffer, so a client slower than the events costs no more memory;
            // what this second buffer drops is counted with what the hub dropped.
            let (outgoing, sink) = AsyncStream<Outgoing>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
            let droppedHere = DropCounter()
            @Sendable func send(_ item: Outgoing) {
                if case .dropped(.event) = sink.yield(item) { droppedHere.add(1) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in subscription {
                        send(.event(event))
                        if case .callEnded = event, event.callID == callID { break }
                    }
                    sink.finish()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeat)
                        // A call's stream ends with its call even if `call_ended` was lost to a
                        // full buffer: otherwise keepalives would hold it open for good.
                        if let callID, await control.snapshot(callID: callID) == nil {
                            sink.finish()
                            return
                        }
                        send(.heartbeat)
                    }
                }
                do {
                    try await writer.write(ByteBuffer(string: ServerSentEvent.comment("stream open")))
                    var reportedDrops = 0
                    for await item in outgoing {
                        switch item {
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ServerSentEvent.comment("keepalive")))
                        case .event(let event):
                            let drops = subscription.droppedEvents + droppedHere.value
                            if drops > reportedDrops {
                                let message = ServerSentEvent.message(event: "dropped", data: #"{"count":\#(drops - reportedDrops)}"#)
                                try await writer.write(ByteBuffer(string: message))
                                reportedDrops = drops
                            }
                            try await writer.write(ByteBuffer(string: ServerSentEvent.message(for: event)))
                        }
                    }
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: body)
    }
}
