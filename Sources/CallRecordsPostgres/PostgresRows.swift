import CallRecords
import Foundation
import Logging
import PostgresNIO

/// Turns a ``CallRecords/CallRecord`` into rows of the ``PostgresSchema`` tables and back.
enum PostgresRows {
    static func write(_ record: CallRecord, on connection: PostgresConnection, logger: Logger) async throws {
        let r = record
        try await connection.query("""
            INSERT INTO call (\(unescaped: CallTableColumns.list))
            VALUES (\(r.id), \(r.callerNumber), \(r.channelID), \(r.bot), \(r.startedAt), \(r.answeredAt), \(r.endedAt),
                    \(r.outcome?.rawValue), \(r.rtp.received), \(r.rtp.lost), \(r.rtp.late), \(r.rtp.jitterMs), \(r.cost.currency),
                    \(r.cost.total), \(r.instance), \(r.ownerURL), \(r.recording?.path), \(r.recording?.durationSeconds),
                    \(r.recording?.mode))
            ON CONFLICT (id) DO UPDATE SET \(unescaped: CallTableColumns.replaceAll)
            """, logger: logger)
        try await connection.query("DELETE FROM turn WHERE call_id = \(r.id)", logger: logger)
        try await connection.query("DELETE FROM cost_line WHERE call_id = \(r.id)", logger: logger)
        try await connection.query("DELETE FROM timeline_event WHERE call_id = \(r.id)", logger: logger)
        for turn in r.turns {
            let l = turn.latencies
            try await connection.query("""
                INSERT INTO turn (call_id, position, started_at, caller_transcript, partial_count, bot_text, interrupted, false_barge_in,
                                  recognizer_final_ms, first_brain_token_ms, first_synthesized_audio_ms, first_rtp_packet_ms,
                                  barge_in_stop_ms, cut_by)
                VALUES (\(r.id), \(turn.index), \(turn.startedAt), \(turn.callerTranscript), \(turn.partialCount), \(turn.botText),
                        \(turn.interrupted), \(turn.falseBargeIn), \(l.recognizerFinalMs), \(l.firstBrainTokenMs),
                        \(l.firstSynthesizedAudioMs), \(l.firstRTPPacketMs), \(l.bargeInStopMs), \(turn.cutBy))
                """, logger: logger)
        }
        for (position, line) in r.cost.lines.enumerated() {
            try await connection.query("""
                INSERT INTO cost_line (call_id, position, provider, item, quantity, unit, amount)
                VALUES (\(r.id), \(position), \(line.provider), \(line.item), \(line.quantity), \(line.unit), \(line.amount))
                """, logger: logger)
        }
        for (position, event) in r.timeline.enumerated() {
            try await connection.query("""
                INSERT INTO timeline_event (call_id, position, at, kind, detail)
                VALUES (\(r.id), \(position), \(event.at), \(event.kind), \(event.detail))
                """, logger: logger)
        }
    }

    /// Records whose call row matches `condition` (with `$1`… bound to `values`), oldest first.
    static func read(
        where condition: String, _ values: [String?], lock: Bool = false, on connection: PostgresConnection, logger: Logger
    ) async throws -> [CallRecord] {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        let sql = "SELECT * FROM call WHERE \(condition) ORDER BY started_at" + (lock ? " FOR UPDATE" : "")
        return try await records(PostgresQuery(unsafeSQL: sql, binds: bindings), on: connection, logger: logger)
    }

    static func read(matching query: CallRecordQuery, on connection: PostgresConnection, logger: Logger) async throws -> [CallRecord] {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func bind(_ condition: String, _ value: some PostgresNonThrowingEncodable) {
            bindings.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(bindings.count)"))
        }
        if let from = query.from { bind("started_at >= ?", from) }
        if let to = query.to { bind("started_at < ?", to) }
        if let outcome = query.outcome { bind("outcome = ?", outcome.rawValue) }
        if let caller = query.callerNumber { bind("caller_number = ?", caller) }
        if query.activeOnly { conditions.append("ended_at IS NULL") }
        if let instance = query.otherThanInstance { bind("instance IS NOT NULL AND instance <> ?", instance) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        bindings.append(max(0, query.limit))
        let sql = "SELECT * FROM call \(whereClause) ORDER BY started_at DESC, id LIMIT $\(bindings.count)"
        return try await records(PostgresQuery(unsafeSQL: sql, binds: bindings), on: connection, logger: logger)
    }

    private static func records(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [CallRecord] {
        var calls: [CallRecord] = []
        for try await row in try await connection.query(query, logger: logger) {
            let c = row.makeRandomAccess()
            let outcome = try c["outcome"].decode(String?.self)
            var record = CallRecord(
                id: try c["id"].decode(String.self), callerNumber: try c["caller_number"].decode(String?.self),
                channelID: try c["channel_id"].decode(String.self), bot: try c["bot"].decode(String.self),
                startedAt: try c["started_at"].decode(Date.self), answeredAt: try c["answered_at"].decode(Date?.self),
                endedAt: try c["ended_at"].decode(Date?.self),
                // A word written by a newer ura that this one does not know reads as failed rather than breaking the list.
                outcome: outcome.map { CallOutcome(rawValue: $0) ?? .failed },
                rtp: RTPSummary(
                    received: try c["rtp_received"].decode(Int.self), lost: try c["rtp_lost"].decode(Int.self),
                    late: try c["rtp_late"].decode(Int.self), jitterMs: try c["rtp_jitter_ms"].decode(Double.self)),
                cost: CallCost(currency: try c["currency"].decode(String.self), lines: []),
                instance: try c["instance"].decode(String?.self), ownerURL: try c["owner_url"].decode(String?.self))
            if let path = try c["recording_path"].decode(String?.self) {
                record.recording = CallRecordingFile(
                    path: path, durationSeconds: try c["recording_seconds"].decode(Double?.self) ?? 0,
                    mode: try c["recording_mode"].decode(String?.self) ?? "both")
            }
            calls.append(record)
        }
        for index in calls.indices { try await fillIn(&calls[index], on: connection, logger: logger) }
        return calls
    }

    private static func fillIn(_ record: inout CallRecord, on connection: PostgresConnection, logger: Logger) async throws {
        let id = record.id
        for try await row in try await connection.query("SELECT * FROM turn WHERE call_id = \(id) ORDER BY position", logger: logger) {
            let t = row.makeRandomAccess()
            record.turns.append(Turn(
                index: try t["position"].decode(Int.self), startedAt: try t["started_at"].decode(Date.self),
                callerTranscript: try t["caller_transcript"].decode(String.self), partialCount: try t["partial_count"].decode(Int.self),
                botText: try t["bot_text"].decode(String.self), interrupted: try t["interrupted"].decode(Bool.self),
                falseBargeIn: try t["false_barge_in"].decode(Bool.self), cutBy: try t["cut_by"].decode(String?.self),
                latencies: TurnLatencies(
                    recognizerFinalMs: try t["recognizer_final_ms"].decode(Int?.self),
                    firstBrainTokenMs: try t["first_brain_token_ms"].decode(Int?.self),
                    firstSynthesizedAudioMs: try t["first_synthesized_audio_ms"].decode(Int?.self),
                    firstRTPPacketMs: try t["first_rtp_packet_ms"].decode(Int?.self),
                    bargeInStopMs: try t["barge_in_stop_ms"].decode(Int?.self))))
        }
        for try await row in try await connection.query("SELECT * FROM cost_line WHERE call_id = \(id) ORDER BY position", logger: logger) {
            let l = row.makeRandomAccess()
            record.cost.lines.append(CallCost.Line(
                provider: try l["provider"].decode(String.self), item: try l["item"].decode(String.self),
                quantity: try l["quantity"].decode(Double.self), unit: try l["unit"].decode(String.self),
                amount: try l["amount"].decode(Double.self)))
        }
        for try await row in try await connection.query("SELECT * FROM timeline_event WHERE call_id = \(id) ORDER BY position", logger: logger) {
            let e = row.makeRandomAccess()
            record.timeline.append(TimelineEvent(
                at: try e["at"].decode(Date.self), kind: try e["kind"].decode(String.self), detail: try e["detail"].decode(String?.self)))
        }
    }
}
