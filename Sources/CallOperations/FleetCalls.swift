import ARI
import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI

/// The calls other instances of a fleet carry, as the record store they share shows them, and
/// how this instance acts on one when an operator asks it to.
///
/// A request for another instance's call is handed to that instance's operator API (the
/// record's `owner_url`, with this instance's token: a fleet shares one). Without a URL, or
/// when that instance does not answer, only hanging up can still be done, through ARI on the
/// caller's channel; saying and transferring need the call's pipeline and answer 409.
public struct FleetCalls: Sendable {
    /// How this instance reaches the others' operator APIs.
    public struct Forwarding: Sendable {
        public var http: HTTPClient
        /// This instance's `OPERATOR_TOKEN`, sent as the bearer token.
        public var token: String?
        /// PEM file to trust for the others' HTTPS (the fleet's `OPERATOR_TLS_CERT`).
        public var trustedCertificatesPath: String?

        public init(http: HTTPClient, token: String?, trustedCertificatesPath: String?) {
            self.http = http
            self.token = token
            self.trustedCertificatesPath = trustedCertificatesPath
        }
    }

    let store: any CallRecordStore
    /// This instance's name in the records (its ARI_APP).
    let instance: String
    let forwarding: Forwarding?
    let logger: Logger

    public init(store: any CallRecordStore, instance: String, forwarding: Forwarding?, logger: Logger) {
        self.store = store
        self.instance = instance
        self.forwarding = forwarding
        self.logger = logger
    }

    /// The active records of the other instances; empty when the store cannot be read.
    func activeElsewhere() async -> [CallRecord] {
        var query = CallRecordQuery(limit: 10_000)
        query.activeOnly = true
        query.otherThanInstance = instance
        do {
            return try await store.records(matching: query)
        } catch {
            logger.warning("cannot list the fleet's calls", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// The call, when another instance carries it.
    func carried(callID: String) async -> CallRecord? {
        guard let record = try? await store.record(id: callID), record.isActive,
              let owner = record.instance, owner != instance
        else { return nil }
        return record
    }

    /// What an operator request on another instance's call asks for.
    enum Request {
        case hangUp
        case say(text: String, interrupt: Bool)
        case transfer(destination: String)

        var method: HTTPRequest.Method {
            if case .hangUp = self { .delete } else { .post }
        }

        /// Relative to the instance's API root; `URL.appending(path:)` percent-encodes it.
        func path(_ callID: String) -> String {
            switch self {
            case .hangUp: "v1/calls/\(callID)"
            case .say: "v1/calls/\(callID)/say"
            case .transfer: "v1/calls/\(callID)/transfer"
            }
        }

        var body: Data? {
            switch self {
            case .hangUp: nil
            case .say(let text, let interrupt): try? JSONEncoder().encode(SayForward(text: text, interrupt: interrupt))
            case .transfer(let destination): try? JSONEncoder().encode(TransferForward(destination: destination))
            }
        }
    }

    private struct SayForward: Encodable { var text: String; var interrupt: Bool }
    private struct TransferForward: Encodable { var destination: String }
    private struct ErrorAnswer: Decodable { struct Detail: Decodable { var message: String }; var error: Detail }

    /// Has the instance carrying `record` do `request`; hangs up through `hangUpOnAsterisk`
    /// when it cannot be asked.
    func act(
        _ request: Request, on record: CallRecord, hangUpOnAsterisk: (ChannelID) async throws(CallControlError) -> Void
    ) async throws(CallControlError) {
        let owner = record.instance ?? "another instance"
        guard let forwarding, let base = record.ownerURL.flatMap(URL.init(string:)) else {
            if case .hangUp = request { return try await hangUpOnAsterisk(ChannelID(record.channelID)) }
            throw .elsewhere(reason: "call \(record.id) is carried by ura instance \(owner), which has no OPERATOR_ADVERTISE_URL to hand this to")
        }
        var headers = [(name: "Content-Type", value: "application/json")]
        if let token = forwarding.token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let url = base.appending(path: request.path(record.id), directoryHint: .notDirectory)
        let answer: HTTPResponse
        do {
            answer = try await forwarding.http.execute(HTTPRequest(
                method: request.method, url: url, headers: headers, body: request.body, timeout: .seconds(5),
                trustedCertificatesPath: forwarding.trustedCertificatesPath))
        } catch {
            logger.warning("the instance carrying a call did not answer", metadata: [
                "call_id": "\(record.id)", "instance": "\(owner)", "error": "\(error)",
            ])
            if case .hangUp = request { return try await hangUpOnAsterisk(ChannelID(record.channelID)) }
            throw .elsewhere(reason: "call \(record.id) is carried by ura instance \(owner), which did not answer at \(base.absoluteString)")
        }
        let message = (try? JSONDecoder().decode(ErrorAnswer.self, from: answer.body))?.error.message ?? "HTTP \(answer.status)"
        switch answer.status {
        case 200..<300: return
        case 400: throw .invalid(reason: message)
        case 404, 409: throw .elsewhere(reason: "ura instance \(owner): \(message)")
        case 503: throw .unavailable(reason: "ura instance \(owner): \(message)")
        default: throw .failed(reason: "ura instance \(owner) answered \(answer.status): \(message)")
        }
    }
}
