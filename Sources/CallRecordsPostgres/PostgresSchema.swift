/// The call record tables in PostgreSQL: the same tables, columns and migration names as
/// ``CallRecords/SQLiteCallRecordStore``'s, in PostgreSQL's types. Never edit a migration that
/// has shipped: add one (and its SQLite twin).
enum PostgresSchema {
    struct Migration {
        var name: String
        var statements: [String]
    }

    static let migrations = [
        Migration(name: "v1: calls, turns, cost lines, timeline", statements: [
            """
            CREATE TABLE call (
                id TEXT PRIMARY KEY, caller_number TEXT, channel_id TEXT NOT NULL, bot TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL, answered_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, outcome TEXT,
                rtp_received BIGINT NOT NULL, rtp_lost BIGINT NOT NULL, rtp_late BIGINT NOT NULL,
                rtp_jitter_ms DOUBLE PRECISION NOT NULL, currency TEXT NOT NULL, cost_total DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX call_on_started_at ON call (started_at)",
            "CREATE INDEX call_on_outcome ON call (outcome)",
            "CREATE INDEX call_on_caller_number ON call (caller_number)",
            """
            CREATE TABLE turn (
                call_id TEXT NOT NULL REFERENCES call (id) ON DELETE CASCADE, position BIGINT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL, caller_transcript TEXT NOT NULL, partial_count BIGINT NOT NULL,
                bot_text TEXT NOT NULL, interrupted BOOLEAN NOT NULL, false_barge_in BOOLEAN NOT NULL,
                recognizer_final_ms BIGINT, first_brain_token_ms BIGINT, first_synthesized_audio_ms BIGINT,
                first_rtp_packet_ms BIGINT, barge_in_stop_ms BIGINT, PRIMARY KEY (call_id, position))
            """,
            """
            CREATE TABLE cost_line (
                call_id TEXT NOT NULL REFERENCES call (id) ON DELETE CASCADE, position BIGINT NOT NULL,
                provider TEXT NOT NULL, item TEXT NOT NULL, quantity DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL,
                amount DOUBLE PRECISION NOT NULL, PRIMARY KEY (call_id, position))
            """,
            """
            CREATE TABLE timeline_event (
                call_id TEXT NOT NULL REFERENCES call (id) ON DELETE CASCADE, position BIGINT NOT NULL,
                at TIMESTAMPTZ NOT NULL, kind TEXT NOT NULL, detail TEXT, PRIMARY KEY (call_id, position))
            """,
        ]),
        Migration(name: "v2: why a turn was cut, active calls by channel", statements: [
            "ALTER TABLE turn ADD COLUMN cut_by TEXT",
            "CREATE INDEX call_active_by_channel ON call (channel_id) WHERE ended_at IS NULL",
        ]),
        Migration(name: "v3: the instance that carries a call, and where its operator API is", statements: [
            "ALTER TABLE call ADD COLUMN instance TEXT",
            "ALTER TABLE call ADD COLUMN owner_url TEXT",
        ]),
        Migration(name: "v4: the call's recording", statements: [
            "ALTER TABLE call ADD COLUMN recording_path TEXT",
            "ALTER TABLE call ADD COLUMN recording_seconds DOUBLE PRECISION",
            "ALTER TABLE call ADD COLUMN recording_mode TEXT",
        ]),
    ]
}
