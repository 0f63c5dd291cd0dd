import Foundation
import Logging

/// Human-readable lines for a terminal: `12:26:37.458 info  ura.call: answered call_id=… channel_id=…`.
enum TextLogLine {
    static func format(label: String, event: LogEvent, fields: Logger.Metadata) -> String {
        let time = Timestamp.iso8601(Date()).split(separator: "T").last.map { String($0.dropLast()) } ?? ""
        var text = "\(time) \(event.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))\(label): \(event.message)"
        for key in fields.keys.sorted() {
            text += " \(key)=\(fields[key]!)"
        }
        return text + "\n"
    }
}
