import CallRecords
import Foundation
import Hummingbird

/// The `/v1/calls` routes: list, show, hang up, say, transfer, originate.
struct CallsController {
    let dependencies: OperatorDependencies

    func register(on router: Router<OperatorRequestContext>) {
        router.get("/v1/calls") { request, _ in try await list(request) }
        router.post("/v1/calls") { request, _ in try await originate(request) }
        router.get("/v1/calls/:id") { _, context in
            let id = try context.parameters.require("id")
            return OperatorJSON.response(status: .ok, CallDetail(try await find(id)))
        }
        router.get("/v1/calls/:id/recording") { _, context in
            let id = try context.parameters.require("id")
            return try await recording(of: try await find(id), context: context)
        }
        router.delete("/v1/calls/:id") { _, context in
            let id = try context.parameters.require("id")
            try await act(on: id) { () async throws(CallControlError) in try await dependencies.control.hangUp(callID: id) }
            return OperatorJSON.response(status: .accepted, CallActionResult(id: id, status: "hanging_up"))
        }
        router.post("/v1/calls/:id/say") { request, context in
            let id = try context.parameters.require("id")
            let body = try await RequestBodies.decode(SayBody.self, from: request)
            let text = try RequestBodies.validSpeech(body.text)
            let interrupt = body.interrupt ?? false
            try await act(on: id) { () async throws(CallControlError) in try await dependencies.control.say(callID: id, text: text, interrupt: interrupt) }
            return OperatorJSON.response(status: .accepted, CallActionResult(id: id, status: interrupt ? "speaking" : "queued"))
        }
        router.post("/v1/calls/:id/transfer") { request, context in
            let id = try context.parameters.require("id")
            let body = try await RequestBodies.decode(TransferBody.self, from: request)
            let destination = try RequestBodies.validDestination(body.destination)
            try await act(on: id) { () async throws(CallControlError) in try await dependencies.control.transfer(callID: id, destination: destination) }
            return OperatorJSON.response(status: .accepted, CallActionResult(id: id, status: "transferring"))
        }
    }

    /// The call's WAV file, streamed from disk.
    private func recording(of record: CallRecord, context: OperatorRequestContext) async throws -> Response {
        guard let recording = record.recording else {
            throw OperatorAPIError.recordingNotFound(record.id, record.isActive ? "is recorded only once the call has ended" : "was not recorded")
        }
        guard FileManager.default.isReadableFile(atPath: recording.path) else {
            let elsewhere = record.instance.map { " (it was recorded by instance \($0))" } ?? ""
            throw OperatorAPIError.recordingNotFound(record.id, "has no recording file here\(elsewhere)")
        }
        let body = try await FileIO().loadFile(path: recording.path, context: context)
        return Response(
            status: .ok,
            headers: [.contentType: "audio/wav", .contentDisposition: "attachment; filename=\"\(record.id).wav\""], body: body)
    }

    /// The call from the live calls, else from the records.
    func find(_ id: String) async throws -> CallRecord {
        if let live = await dependencies.control.snapshot(callID: id) { return live }
        if let stored = try await dependencies.records.record(id: id) { return stored }
        throw OperatorAPIError.callNotFound(id)
    }

    /// Runs a control operation; an unknown call that the records know has ended is a 409, not a 404.
    private func act(on id: String, _ operation: () async throws(CallControlError) -> Void) async throws {
        do {
            try await operation()
        } catch .unknownCall(let unknown) {
            if try await dependencies.records.record(id: unknown) != nil { throw OperatorAPIError.callEnded(unknown) }
            throw OperatorAPIError.callNotFound(unknown)
        } catch {
            throw OperatorAPIError(error)
        }
    }

    private func originate(_ request: Request) async throws -> Response {
        let body = try await RequestBodies.decode(OriginateBody.self, from: request)
        let originate = try RequestBodies.validOriginate(body)
        let id: String
        do {
            id = try await dependencies.control.originate(originate)
        } catch {
            throw OperatorAPIError(error)
        }
        var response = OperatorJSON.response(status: .created, CallActionResult(id: id, status: "originating"))
        response.headers[.location] = "/v1/calls/\(id)"
        return response
    }

    /// Which calls a list asks for.
    enum Scope: String {
        case active, recent, all
    }

    private func list(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        let scopeText = parameters.get("state") ?? "all"
        guard let scope = Scope(rawValue: scopeText) else {
            throw OperatorAPIError.invalidParameter("state", "is \"\(scopeText.prefix(32))\", not one of active, recent, all")
        }
        var query = CallRecordQuery()
        query.from = try time(parameters.get("from"), name: "from")
        query.to = try time(parameters.get("to"), name: "to")
        query.callerNumber = parameters.get("caller")
        if let outcomeText = parameters.get("outcome") {
            guard let outcome = CallOutcome(rawValue: outcomeText) else {
                let allowed = CallOutcome.allCases.map(\.rawValue).joined(separator: ", ")
                throw OperatorAPIError.invalidParameter("outcome", "is \"\(outcomeText.prefix(32))\", not one of \(allowed)")
            }
            query.outcome = outcome
        }
        if let limitText = parameters.get("limit") {
            guard let limit = Int(limitText), (1...500).contains(limit) else {
                throw OperatorAPIError.invalidParameter("limit", "must be a whole number from 1 to 500")
            }
            query.limit = limit
        }

        var calls: [CallRecord] = []
        if scope != .recent, query.outcome == nil {
            calls = await dependencies.control.activeCalls().filter { matches($0, query) }
                .sorted { $0.startedAt > $1.startedAt }
        }
        if scope != .active {
            // A call that ended a moment ago may still have its start row in the store (active)
            // while its last save is on its way: its own snapshot stands in for the row.
            let ending = await dependencies.control.endedCallsBeingSaved()
                .filter { matches($0, query) && (query.outcome == nil || $0.outcome == query.outcome) }
            // A call that is up may already have a stored row (written at start); the live snapshot wins.
            let listed = Set(calls.map(\.id)).union(ending.map(\.id))
            let stored = try await dependencies.records.records(matching: query).filter { !listed.contains($0.id) && !$0.isActive }
            calls += (ending + stored).sorted { $0.startedAt > $1.startedAt }
        }
        return OperatorJSON.response(status: .ok, CallList(calls: calls.prefix(query.limit).map(CallSummary.init)))
    }

    private func matches(_ record: CallRecord, _ query: CallRecordQuery) -> Bool {
        if let from = query.from, record.startedAt < from { return false }
        if let to = query.to, record.startedAt >= to { return false }
        if let caller = query.callerNumber, record.callerNumber != caller { return false }
        return true
    }

    private func time(_ text: String?, name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = OperatorJSON.parseTime(text) else {
            throw OperatorAPIError.invalidParameter(name, "is \"\(text.prefix(40))\", not an ISO 8601 time such as 2026-11-26T14:00:00Z")
        }
        return date
    }
}
