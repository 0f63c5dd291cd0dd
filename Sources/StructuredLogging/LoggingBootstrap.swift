import Logging

/// The log line formats ura can write.
public enum LogStyle: Sendable {
    case json
    case text
}

extension LoggingSystem {
    /// Installs ura's handlers process-wide; call once, first thing in `main`.
    /// - Parameters:
    ///   - style: JSON lines or readable text.
    ///   - level: the lowest level written.
    ///   - output: where lines go (standard error by default).
    public static func bootstrapURA(style: LogStyle, level: Logger.Level, output: any LogOutput = StandardErrorOutput()) {
        bootstrap { label in
            var handler = LineLogHandler(label: label, style: style, output: output)
            handler.logLevel = level
            return handler
        }
    }
}

/// Joins the three metadata sources of a log event; the most specific wins.
enum MetadataMerge {
    static func fields(handler: Logger.Metadata, provider: Logger.MetadataProvider?, event: LogEvent) -> Logger.Metadata {
        var fields = handler
        if let provided = provider?.get() { fields.merge(provided) { _, new in new } }
        if let explicit = event.metadata { fields.merge(explicit) { _, new in new } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        return fields
    }
}
