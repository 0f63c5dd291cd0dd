import GRDB

/// The database layout of call records, as an ordered list of migrations.
///
/// Never edit a migration that has shipped: add a new one. GRDB records which ones ran in
/// `grdb_migrations`, so an old file is brought up to date when ura opens it.
enum CallRecordSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: calls, turns, cost lines, timeline") { db in
            try db.create(table: "call") { t in
                t.primaryKey("id", .text)
                t.column("caller_number", .text)
                t.column("channel_id", .text).notNull()
                t.column("bot", .text).notNull()
                t.column("started_at", .datetime).notNull().indexed()
                t.column("answered_at", .datetime)
                t.column("ended_at", .datetime)
                t.column("outcome", .text).indexed()
                t.column("rtp_received", .integer).notNull()
                t.column("rtp_lost", .integer).notNull()
                t.column("rtp_late", .integer).notNull()
                t.column("rtp_jitter_ms", .double).notNull()
                t.column("currency", .text).notNull()
                t.column("cost_total", .double).notNull()
            }
            try db.create(index: "call_on_caller_number", on: "call", columns: ["caller_number"])
            try db.create(table: "turn") { t in
                t.column("call_id", .text).notNull().references("call", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("caller_transcript", .text).notNull()
                t.column("partial_count", .integer).notNull()
                t.column("bot_text", .text).notNull()
                t.column("interrupted", .boolean).notNull()
                t.column("false_barge_in", .boolean).notNull()
                t.column("recognizer_final_ms", .integer)
                t.column("first_brain_token_ms", .integer)
                t.column("first_synthesized_audio_ms", .integer)
                t.column("first_rtp_packet_ms", .integer)
                t.column("barge_in_stop_ms", .integer)
                t.primaryKey(["call_id", "position"])
            }
            try db.create(table: "cost_line") { t in
                t.column("call_id", .text).notNull().references("call", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("provider", .text).notNull()
                t.column("item", .text).notNull()
                t.column("quantity", .double).notNull()
                t.column("unit", .text).notNull()
                t.column("amount", .double).notNull()
                t.primaryKey(["call_id", "position"])
            }
            try db.create(table: "timeline_event") { t in
                t.column("call_id", .text).notNull().references("call", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("at", .datetime).notNull()
                t.column("kind", .text).notNull()
                t.column("detail", .text)
                t.primaryKey(["call_id", "position"])
            }
        }
        migrator.registerMigration("v2: why a turn was cut, active calls by channel") { db in
            try db.alter(table: "turn") { t in t.add(column: "cut_by", .text) }
            // Records are written from a call's start; a restart looks for the ones left active.
            try db.execute(sql: "CREATE INDEX call_active_by_channel ON call(channel_id) WHERE ended_at IS NULL")
        }
        migrator.registerMigration("v3: the instance that carries a call, and where its operator API is") { db in
            try db.alter(table: "call") { t in
                t.add(column: "instance", .text)
                t.add(column: "owner_url", .text)
            }
        }
        migrator.registerMigration("v4: the call's recording") { db in
            try db.alter(table: "call") { t in
                t.add(column: "recording_path", .text)
                t.add(column: "recording_seconds", .double)
                t.add(column: "recording_mode", .text)
            }
        }
        return migrator
    }
}
