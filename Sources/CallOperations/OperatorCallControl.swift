import ARI
import CallRecords
import Calls
import Foundation
import OperatorAPI
import Settings

/// What the operator API can do to calls, carried out by the call service and ARI.
///
/// With several Asterisk servers (one ``CallService`` each) a call is controlled on the server
/// that carries it, and a new call is placed on the first server whose events socket is up.
public struct OperatorCallControl: CallControl, ReadinessProbe {
    let services: [CallService]
    let journal: CallJournal
    let store: (any CallRecordStore)?
    let application: String
    let fleet: FleetCalls?

    /// - Parameter fleet: the other instances sharing `store` (`RECORDS_URL`); nil for one ura on its own.
    public init(
        services: [CallService], journal: CallJournal, store: (any CallRecordStore)?, application: String, fleet: FleetCalls? = nil
    ) {
        precondition(!services.isEmpty, "ura serves at least one Asterisk")
        self.services = services
        self.journal = journal
        self.store = store
        self.application = application
        self.fleet = fleet
    }

    /// This instance's calls, and in a fleet the others' as their records show them.
    public func activeCalls() async -> [CallRecord] {
        let own = journal.activeRecords
        guard let fleet else { return own }
        let ids = Set(own.map(\.id))
        return own + (await fleet.activeElsewhere()).filter { !ids.contains($0.id) }
    }

    public func endedCallsBeingSaved() async -> [CallRecord] { journal.endedRecordsBeingSaved }

    public func snapshot(callID: String) async -> CallRecord? {
        if let live = journal.record(callID: callID) { return live }
        return try? await store?.record(id: callID)
    }

    public func hangUp(callID: String) async throws(CallControlError) {
        if let session = session(callID) { return session.hangUp() }
        try await elsewhere(callID, .hangUp)
    }

    public func say(callID: String, text: String, interrupt: Bool) async throws(CallControlError) {
        guard let session = session(callID) else { return try await elsewhere(callID, .say(text: text, interrupt: interrupt)) }
        guard session.botDescription != BotChoice.loopback.description else {
            throw .invalid(reason: "call \(callID) runs the loopback diagnostic, which does not speak")
        }
        session.say(text, interrupt: interrupt)
    }

    public func transfer(callID: String, destination: TransferDestination) async throws(CallControlError) {
        guard let session = session(callID) else { return try await elsewhere(callID, .transfer(destination: destination.description)) }
        session.transfer(to: destination)
    }

    /// Hands the request to the instance carrying the call, if another one does.
    private func elsewhere(_ callID: String, _ request: FleetCalls.Request) async throws(CallControlError) {
        guard let fleet, let record = await fleet.carried(callID: callID) else { throw .unknownCall(id: callID) }
        try await fleet.act(request, on: record) { (channel) async throws(CallControlError) in try await hangUpOnAsterisk(channel) }
    }

    /// Hangs up a caller's channel on whichever Asterisk has it.
    private func hangUpOnAsterisk(_ channel: ChannelID) async throws(CallControlError) {
        var lastError = "no Asterisk is connected"
        for service in services {
            do {
                try await service.asterisk.hangup(channel)
                return
            } catch let error as ARIError where error.status == 404 {
                lastError = "no channel \(channel)"
            } catch {
                lastError = "\(error)"
            }
        }
        throw .failed(reason: "cannot hang up \(channel): \(lastError)")
    }

    /// Calls `endpoint`; when it answers it enters the application as a call of `bot`.
    /// - Returns: the call id the new call will carry.
    public func originate(_ request: OriginateRequest) async throws(CallControlError) -> String {
        let service = services.first { $0.isConnected } ?? services[0]
        let ari = service.asterisk
        let callID = service.newCallID()
        var args = ["ura_call_id=\(callID)", "bot=\(request.bot)"]
        for (name, value) in request.variables.sorted(by: { $0.key < $1.key }) {
            // The API refuses these with a 400; whoever else builds a request gets the same rule.
            guard StasisVariable.problem(name: name) == nil, StasisVariable.problem(value: value) == nil else {
                throw .invalid(reason: "variable \(name.prefix(StasisVariable.maximumNameLength)) cannot be a Stasis argument")
            }
            args.append("\(name)=\(value)")
        }
        service.expectOriginatedCall(id: callID)
        do {
            _ = try await ari.originate(
                endpoint: request.endpoint, destination: .application(application, args: args), callerID: request.callerID)
        } catch let error as ARIError {
            service.forgetOriginatedCall(id: callID)
            if let status = error.status, status == 400 || status == 404 || status == 422 {
                throw .invalid(reason: error.message ?? "Asterisk refused the endpoint")
            }
            throw .failed(reason: "\(error)")
        } catch {
            service.forgetOriginatedCall(id: callID)
            throw .failed(reason: "\(error)")
        }
        return callID
    }

    /// Ready while any server's events socket is up: losing one Asterisk stops only its calls.
    public func ariEventsConnected() async -> Bool { services.contains { $0.isConnected } }

    public func asteriskAnswersPing() async -> Bool {
        for service in services {
            if (try? await service.asterisk.withTimeout(.seconds(2)).ping()) != nil { return true }
        }
        return false
    }

    public func acceptingCalls() async -> Bool { services.allSatisfy(\.isAccepting) }

    private func session(_ callID: String) -> CallSession? {
        for service in services { if let session = service.session(callID: callID) { return session } }
        return nil
    }
}
