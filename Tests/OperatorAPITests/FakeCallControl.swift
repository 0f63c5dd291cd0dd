import CallRecords
import OperatorAPI
import Settings

/// An in-memory ``CallControl``: a dictionary of live calls and a log of what was asked.
actor FakeCallControl: CallControl {
    enum Action: Equatable {
        case hangUp(String)
        case say(String, text: String, interrupt: Bool)
        case transfer(String, destination: String)
        case originate(OriginateRequest)
    }

    private(set) var calls: [String: CallRecord]
    private(set) var actions: [Action] = []
    /// Thrown by the next operation instead of doing it.
    var failure: CallControlError?

    init(calls: [CallRecord] = []) {
        self.calls = Dictionary(uniqueKeysWithValues: calls.map { ($0.id, $0) })
    }

    func fail(with error: CallControlError) { failure = error }

    func add(_ call: CallRecord) { calls[call.id] = call }

    /// The call is gone without a word (its `call_ended` lost).
    func vanish(_ id: String) { calls[id] = nil }

    func activeCalls() async -> [CallRecord] { Array(calls.values) }

    func snapshot(callID: String) async -> CallRecord? { calls[callID] }

    func hangUp(callID: String) async throws(CallControlError) {
        try check(callID)
        actions.append(.hangUp(callID))
    }

    func say(callID: String, text: String, interrupt: Bool) async throws(CallControlError) {
        try check(callID)
        actions.append(.say(callID, text: text, interrupt: interrupt))
    }

    func transfer(callID: String, destination: TransferDestination) async throws(CallControlError) {
        try check(callID)
        actions.append(.transfer(callID, destination: destination.description))
    }

    func originate(_ request: OriginateRequest) async throws(CallControlError) -> String {
        if let failure { throw failure }
        actions.append(.originate(request))
        return "out-\(actions.count)"
    }

    private func check(_ id: String) throws(CallControlError) {
        if let failure { throw failure }
        guard calls[id] != nil else { throw .unknownCall(id: id) }
    }
}

/// A ``ReadinessProbe`` with fixed answers.
struct FakeReadiness: ReadinessProbe {
    var events = true
    var ping = true
    var accepting = true

    func ariEventsConnected() async -> Bool { events }
    func asteriskAnswersPing() async -> Bool { ping }
    func acceptingCalls() async -> Bool { accepting }
}
