import Foundation

/// The text of Server-Sent Events messages (the WHATWG `text/event-stream` format).
enum ServerSentEvent {
    /// One message; `data` must be a single line (compact JSON is).
    static func message(event: String, data: String) -> String {
        "event: \(event)\ndata: \(data)\n\n"
    }

    /// A call event as a message whose data is its JSON.
    static func message(for event: CallEvent) -> String {
        let data = (try? OperatorJSON.encoder().encode(event)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return message(event: event.name, data: data)
    }

    /// A comment line, which clients ignore.
    static func comment(_ text: String) -> String {
        ": \(text)\n\n"
    }
}
