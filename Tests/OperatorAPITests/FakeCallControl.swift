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
    /// Ended calls whose final record is not in the store yet.
    private(set) var ending: [CallRecord] = []
    /// Thrown by the next operation instead of doing it.
    var failure: CallControlError?

    init(calls: [CallRecord] = []) {
        self.calls = Dictionary(uniqueKeysWithValues: calls.map { ($0.id, $0) })
    }

    func fail(with error: CallControlError) { failure = error }

    func add(_ call: CallRecord) { calls[call.id] = call }

    /// The call is gone without a word (its `call_ended` lost).
    func vanish(_ id: String) { calls[id] = nil }

    /// The call ends; its final record is still on its way to the store.
    func end(_ id: String, outcome: CallOutcome) {
        guard var record = calls.removeValue(forKey: id) else { return }
        record.endedAt = record.startedAt.addingTimeInterval(30)
        record.outcome = outcome
        ending.append(record)
    }

    func activeCalls() async -> [CallRecord] { Array(calls.values) }

    func endedCallsBeingSaved() async -> [CallRecord] { ending }

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
