import Foundation
import Logging

/// One JSON object per line: `timestamp`, `level`, `label`, `message`, then every metadata key
/// (for example `call_id`, `channel_id`) at the top level.
///
/// Collectors (Loki, Elasticsearch, CloudWatch) index the top-level keys, so a call's whole
/// story is one query on `call_id`.
enum JSONLogLine {
    static func format(label: String, event: LogEvent, fields: Logger.Metadata) -> String {
        var text = "{\"timestamp\":\"\(Timestamp.iso8601(Date()))\",\"level\":\"\(event.level.rawValue)\""
        text += ",\"label\":" + JSONText.quoted(label) + ",\"message\":" + JSONText.quoted(event.message.description)
        for key in fields.keys.sorted() where !["timestamp", "level", "label", "message"].contains(key) {
            text += "," + JSONText.quoted(key) + ":" + JSONText.encode(fields[key]!)
        }
        return text + "}\n"
    }
}

enum JSONText {
    static func encode(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(encode).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{" + values.keys.sorted().map { quoted($0) + ":" + encode(values[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

enum Timestamp {
    /// UTC with milliseconds, e.g. `2026-11-26T12:26:37.458Z`.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
