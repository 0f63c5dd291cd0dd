import Foundation
import GRDB

/// Turns a ``CallRecord`` into rows of the ``CallRecordSchema`` tables and back.
enum CallRecordRows {
    private static let upsertCall = """
        INSERT INTO call (\(CallTableColumns.list))
        VALUES (\(Array(repeating: "?", count: CallTableColumns.all.count).joined(separator: ", ")))
        ON CONFLICT(id) DO UPDATE SET \(CallTableColumns.replaceAll)
        """

    static func write(_ record: CallRecord, into db: Database) throws {
        try db.execute(
            sql: upsertCall,
            arguments: [
                record.id, record.callerNumber, record.channelID, record.bot, record.startedAt, record.answeredAt,
                record.endedAt, record.outcome?.rawValue, record.rtp.received, record.rtp.lost, record.rtp.late,
                record.rtp.jitterMs, record.cost.currency, record.cost.total, record.instance, record.ownerURL,
                record.recording?.path, record.recording?.durationSeconds, record.recording?.mode,
            ])
        for table in ["turn", "cost_line", "timeline_event"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE call_id = ?", arguments: [record.id])
        }
        for turn in record.turns {
            let l = turn.latencies
            try db.execute(
                sql: """
                    INSERT INTO turn (call_id, position, started_at, caller_transcript, partial_count, bot_text, interrupted,
                                      false_barge_in, recognizer_final_ms, first_brain_token_ms, first_synthesized_audio_ms,
                                      first_rtp_packet_ms, barge_in_stop_ms, cut_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, turn.index, turn.startedAt, turn.callerTranscript, turn.partialCount, turn.botText,
                    turn.interrupted, turn.falseBargeIn, l.recognizerFinalMs, l.firstBrainTokenMs,
                    l.firstSynthesizedAudioMs, l.firstRTPPacketMs, l.bargeInStopMs, turn.cutBy,
                ])
        }
        for (position, line) in record.cost.lines.enumerated() {
            try db.execute(
                sql: "INSERT INTO cost_line (call_id, position, provider, item, quantity, unit, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [record.id, position, line.provider, line.item, line.quantity, line.unit, line.amount])
        }
        for (position, event) in record.timeline.enumerated() {
            try db.execute(
                sql: "INSERT INTO timeline_event (call_id, position, at, kind, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [record.id, position, event.at, event.kind, event.detail])
        }
    }

    static func read(id: String, from db: Database) throws -> CallRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM call WHERE id = ?", arguments: [id]) else { return nil }
        return try record(from: row, db: db)
    }

    /// Records still active (no end written), oldest first; with `channelID`, only that caller's;
    /// with `instance`, only that instance's (and those of versions that wrote none).
    static func readActive(channelID: String? = nil, instance: String?? = nil, from db: Database) throws -> [CallRecord] {
        var sql = "SELECT * FROM call WHERE ended_at IS NULL"
        var arguments = StatementArguments()
        if let channelID {
            sql += " AND channel_id = ?"
            arguments += [channelID]
        }
        if let instance {
            sql += " AND (instance IS ? OR instance IS NULL)"
            arguments += [instance]
        }
        let rows = try Row.fetchAll(db, sql: sql + " ORDER BY started_at", arguments: arguments)
        return try rows.map { try record(from: $0, db: db) }
    }

    static func read(matching query: CallRecordQuery, from db: Database) throws -> [CallRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let from = query.from {
            conditions.append("started_at >= ?")
            arguments += [from]
        }
        if let to = query.to {
            conditions.append("started_at < ?")
            arguments += [to]
        }
        if let outcome = query.outcome {
            conditions.append("outcome = ?")
            arguments += [outcome.rawValue]
        }
        if let caller = query.callerNumber {
            conditions.append("caller_number = ?")
            arguments += [caller]
        }
        if query.activeOnly { conditions.append("ended_at IS NULL") }
        if let instance = query.otherThanInstance {
            conditions.append("instance IS NOT NULL AND instance <> ?")
            arguments += [instance]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM call \(whereClause) ORDER BY started_at DESC, id LIMIT ?", arguments: arguments)
        return try rows.map { try record(from: $0, db: db) }
    }

    private static func record(from row: Row, db: Database) throws -> CallRecord {
        let id: String = row["id"]
        let turns = try Row.fetchAll(db, sql: "SELECT * FROM turn WHERE call_id = ? ORDER BY position", arguments: [id]).map { turn in
            Turn(
                index: turn["position"], startedAt: turn["started_at"], callerTranscript: turn["caller_transcript"],
                partialCount: turn["partial_count"], botText: turn["bot_text"], interrupted: turn["interrupted"],
                falseBargeIn: turn["false_barge_in"], cutBy: turn["cut_by"],
                latencies: TurnLatencies(
                    recognizerFinalMs: turn["recognizer_final_ms"], firstBrainTokenMs: turn["first_brain_token_ms"],
                    firstSynthesizedAudioMs: turn["first_synthesized_audio_ms"], firstRTPPacketMs: turn["first_rtp_packet_ms"],
                    bargeInStopMs: turn["barge_in_stop_ms"]))
        }
        let lines = try Row.fetchAll(db, sql: "SELECT * FROM cost_line WHERE call_id = ? ORDER BY position", arguments: [id]).map { line in
            CallCost.Line(provider: line["provider"], item: line["item"], quantity: line["quantity"], unit: line["unit"], amount: line["amount"])
        }
        let timeline = try Row.fetchAll(db, sql: "SELECT * FROM timeline_event WHERE call_id = ? ORDER BY position", arguments: [id]).map { event in
            TimelineEvent(at: event["at"], kind: event["kind"], detail: event["detail"])
        }
        let outcomeText: String? = row["outcome"]
        var record = CallRecord(
            id: id, callerNumber: row["caller_number"], channelID: row["channel_id"], bot: row["bot"],
            startedAt: row["started_at"], answeredAt: row["answered_at"], endedAt: row["ended_at"],
            // A word written by a newer ura that this one does not know reads as failed rather than breaking the list.
            outcome: outcomeText.map { CallOutcome(rawValue: $0) ?? .failed },
            turns: turns,
            rtp: RTPSummary(received: row["rtp_received"], lost: row["rtp_lost"], late: row["rtp_late"], jitterMs: row["rtp_jitter_ms"]),
            cost: CallCost(currency: row["currency"], lines: lines),
            timeline: timeline, instance: row["instance"], ownerURL: row["owner_url"])
        if let path: String = row["recording_path"] {
            record.recording = CallRecordingFile(path: path, durationSeconds: row["recording_seconds"] ?? 0, mode: row["recording_mode"] ?? "both")
        }
        return record
    }
}
