import CallRecords
import Foundation
import HTTP
import Logging
import OperatorAPI
import ServiceLifecycle
import Telemetry

/// Sends call events to the business's endpoint (`WEBHOOK_URL`): `call.started`, `call.ended`
/// with the whole record, and optionally `call.turn` after each turn.
///
/// Never in a call's way: ``record(_:reached:)`` only encodes the event and queues it; one task
/// delivers the queue in order (a receiver sees a call's `started` before its `ended`), retrying
/// a failed delivery with exponential backoff. When the queue is full (the endpoint down for
/// long) the newest events are dropped; failures and drops are logged and counted
/// (`ura_webhook_deliveries_total{result}`). On shutdown the queue gets ``Settings/shutdownGrace``
/// to empty, so the last calls' `call.ended` still go out.
///
/// Each delivery is a `POST` of JSON `{"id", "type", "created_at", "call"}`, where `call` is the
/// record as `GET /v1/calls/{id}` shows it, signed in ``WebhookSignature/header`` and carrying
/// `X-URA-Event` and `X-URA-Delivery` (the id, the same on every retry, for receivers to skip
/// duplicates).
public final class WebhookDispatcher: CallRecordListener, Service {
    /// Where and how events are sent.
    public struct Settings: Sendable {
        public var url: URL
        /// The HMAC key of ``WebhookSignature``.
        public var secret: String
        /// Whether each turn is sent too (`call.turn`).
        public var turns: Bool
        public var timeout: Duration = .seconds(5)
        /// Tries per event, the first included.
        public var attempts: Int = 5
        /// Wait after the first failure; doubled after each.
        public var backoff: Duration = .milliseconds(500)
        /// Events waiting at most; beyond it new ones are dropped.
        public var queueLimit: Int = 1000
        public var shutdownGrace: Duration = .seconds(10)

        public init(url: URL, secret: String, turns: Bool) {
            self.url = url
            self.secret = secret
            self.turns = turns
        }
    }

    /// One event, encoded once; retries send the same bytes.
    struct Delivery: Sendable {
        var id: String
        var type: String
        var body: Data
    }

    private struct Payload: Encodable {
        var id: String
        var type: String
        var createdAt: Date
        var call: CallDetail
    }

    private let settings: Settings
    private let http: HTTPClient
    private let metrics: URAMetrics
    private let logger: Logger
    private let queue: AsyncStream<Delivery>
    private let queueContinuation: AsyncStream<Delivery>.Continuation

    public init(settings: Settings, http: HTTPClient, metrics: URAMetrics = URAMetrics(), logger: Logger) {
        self.settings = settings
        self.http = http
        self.metrics = metrics
        self.logger = logger
        (queue, queueContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(settings.queueLimit))
    }

    public func record(_ record: CallRecord, reached milestone: CallRecordMilestone) {
        let type: String
        switch milestone {
        case .started: type = "call.started"
        case .turnEnded:
            guard settings.turns else { return }
            type = "call.turn"
        case .ended: type = "call.ended"
        }
        let id = UUID().uuidString.lowercased()
        let body: Data
        do {
            body = try OperatorJSON.encoder().encode(Payload(id: id, type: type, createdAt: Date(), call: CallDetail(record)))
        } catch {
            logger.error("cannot encode a webhook event", metadata: ["call_id": "\(record.id)", "error": "\(error)"])
            return
        }
        if case .dropped = queueContinuation.yield(Delivery(id: id, type: type, body: body)) {
            metrics.webhookDelivery(result: "dropped")
            logger.warning("webhook queue full; event dropped", metadata: ["call_id": "\(record.id)", "event": "\(type)"])
        }
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await delivery in self.queue {
                    guard !Task.isCancelled else { break }
                    await self.deliver(delivery)
                }
            }
            group.addTask {
                // Once shutdown begins no call is left to add events (the calls stop first):
                // what is queued gets the grace period.
                try? await gracefulShutdown()
                self.queueContinuation.finish()
                try? await Task.sleep(for: self.settings.shutdownGrace)
            }
            // The queue emptied after shutdown, or the grace period ran out: stop the other.
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Sends one event until it is accepted (2xx), refused for good (4xx other than 408 and
    /// 429), or out of attempts.
    func deliver(_ delivery: Delivery) async {
        var wait = settings.backoff
        var problem = ""
        for attempt in 1...max(1, settings.attempts) {
            let timestamp = Int(Date().timeIntervalSince1970)
            let request = HTTPRequest(
                method: .post, url: settings.url,
                headers: [
                    (name: "Content-Type", value: "application/json"),
                    (name: WebhookSignature.header, value: WebhookSignature.sign(delivery.body, secret: settings.secret, timestamp: timestamp)),
                    (name: "X-URA-Event", value: delivery.type), (name: "X-URA-Delivery", value: delivery.id),
                ],
                body: delivery.body, timeout: settings.timeout)
            do {
                let status = try await http.execute(request).status
                if (200..<300).contains(status) {
                    metrics.webhookDelivery(result: "delivered")
                    return
                }
                problem = "HTTP \(status)"
                if (400..<500).contains(status), status != 408, status != 429 { break }
            } catch {
                problem = "\(error)"
                if Task.isCancelled { break }
            }
            guard attempt < settings.attempts else { break }
            logger.info("webhook delivery failed; retrying", metadata: [
                "event": "\(delivery.type)", "delivery": "\(delivery.id)", "attempt": "\(attempt)", "problem": "\(problem)",
            ])
            do { try await Task.sleep(for: wait) } catch { break }
            wait *= 2
        }
        metrics.webhookDelivery(result: "failed")
        logger.warning("webhook event not delivered", metadata: [
            "event": "\(delivery.type)", "delivery": "\(delivery.id)", "problem": "\(problem)",
        ])
    }
}
