import Foundation

/// Incremental Server-Sent Events parser: bytes in, events out.
///
/// Follows the WHATWG event-stream rules as servers really send them: lines end in `\r\n`,
/// `\n` or `\r` (a `\r` at the end of one piece may pair with a `\n` at the start of the
/// next); `data:` with or without one space after the colon; several `data:` lines join with
/// `\n`; lines starting with `:` are comments (keep-alive pings); a blank line dispatches the
/// event. Bytes are buffered until a line is complete, so a piece may split a line, or a
/// UTF-8 character, anywhere. A value type: one parser per stream.
public struct SSEParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Equatable {
        /// The `event:` field; `message` when absent.
        public var type: String
        public var data: String
        public var id: String?

        public init(type: String = "message", data: String, id: String? = nil) {
            self.type = type
            self.data = data
            self.id = id
        }
    }

    private var buffer: [UInt8] = []
    private var data: [String] = []
    private var type: String?
    private var id: String?
    /// A `\r` ended the previous piece: a `\n` opening the next belongs to it.
    private var pendingCarriageReturn = false

    public init() {}

    /// Feeds the next bytes; returns the events they complete.
    public mutating func feed(_ bytes: Data) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if byte == UInt8(ascii: "\r") { pendingCarriageReturn = true } else if pendingCarriageReturn {
                    // The `\n` of a `\r\n` pair inside this piece: the line already ended.
                    pendingCarriageReturn = false
                    continue
                }
                if let event = line(buffer) { events.append(event) }
                buffer.removeAll(keepingCapacity: true)
            default:
                pendingCarriageReturn = false
                buffer.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: an event whose blank line never came is dispatched (servers that
    /// close right after the last `data:` line mean it), a partial line included.
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        if !buffer.isEmpty, let event = line(buffer) { events.append(event) }
        buffer.removeAll()
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func line(_ bytes: [UInt8]) -> Event? {
        if bytes.isEmpty { return dispatch() }
        if bytes.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let field: Substring, value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            var rest = text[text.index(after: colon)...]
            if rest.first == " " { rest = rest.dropFirst() }
            value = rest
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": type = String(value)
        case "id": id = String(value)
        default: break  // `retry:` and unknown fields are ignored, as the spec says.
        }
        return nil
    }

    private mutating func dispatch() -> Event? {
        defer {
            data = []
            type = nil
        }
        guard !data.isEmpty else { return nil }
        return Event(type: type ?? "message", data: data.joined(separator: "\n"), id: id)
    }
}
