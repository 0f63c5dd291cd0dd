/// The `call` table's columns as both stores write them (SQLite and PostgreSQL), so that a new
/// column is named once for the insert and its update; each store binds the values in this order.
public enum CallTableColumns {
    /// Every column, `id` first.
    public static let all = [
        "id", "caller_number", "channel_id", "bot", "started_at", "answered_at", "ended_at", "outcome", "rtp_received", "rtp_lost",
        "rtp_late", "rtp_jitter_ms", "currency", "cost_total", "instance", "owner_url", "recording_path", "recording_seconds",
        "recording_mode",
    ]

    /// `id, caller_number, …` for `INSERT INTO call (…)`.
    public static let list = all.joined(separator: ", ")

    /// The `ON CONFLICT (id) DO UPDATE SET` assignments: a save replaces the whole record.
    public static let replaceAll = all.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
}
