import Foundation
import MCP
import Synchronization

/// A clinic's booking system as an MCP server: the example of the README and the peer of the
/// MCP tests, built on the SDK's server side so ura's client meets a server it did not write.
///
/// Tools: `next_free_slot` (structured answer), `book_appointment` (a JSON text answer; the
/// bookings are kept, and with `bookingDelay` it is slow), `cancel_calendar` (always fails, as
/// a tool error), and `open_cancellations`, which adds `cancel_appointment` and tells the
/// client the list changed.
public final class Clinic: Sendable {
    private struct State {
        var bookings: [[String: Value]] = []
        var cancellationsOpen = false
    }

    private let state = Mutex(State())
    let bookingDelay: Duration
    /// Where each booking is appended as a JSON line (the stdio server's way of telling a test).
    let bookingsFile: String?

    public init(bookingDelay: Duration = .zero, bookingsFile: String? = nil) {
        self.bookingDelay = bookingDelay
        self.bookingsFile = bookingsFile
    }

    /// The arguments of every `book_appointment` call, in order.
    public var bookings: [[String: Value]] { state.withLock { $0.bookings } }

    /// A server with the clinic's tools, not yet started.
    public func makeServer() async -> Server {
        let server = Server(
            name: "clinic", version: "1.0", capabilities: .init(tools: .init(listChanged: true)))
        await server.withMethodHandler(ListTools.self) { [self] _ in
            .init(tools: tools())
        }
        await server.withMethodHandler(CallTool.self) { [self, weak server] parameters in
            try await call(parameters.name, parameters.arguments ?? [:], server: server)
        }
        return server
    }

    private func tools() -> [Tool] {
        var tools = [
            Tool(
                name: "next_free_slot", description: "The next free appointment of a specialty.",
                inputSchema: .object([
                    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                    "properties": ["specialty": ["type": "string", "enum": ["cardiology", "dermatology"], "title": "Specialty"]],
                    "required": ["specialty"], "additionalProperties": false,
                ])),
            Tool(
                name: "book_appointment", description: "Book an appointment for the caller.",
                inputSchema: .object([
                    "type": "object",
                    "properties": [
                        "day": ["type": "string", "enum": ["monday", "tuesday"]],
                        "time": ["type": "string", "pattern": "[0-9]{2}:[0-9]{2}"],
                    ],
                    "required": ["day", "time"],
                ])),
            Tool(name: "cancel_calendar", description: "Clear the whole calendar.", inputSchema: .object(["type": "object"])),
            Tool(name: "open_cancellations", description: "Let callers cancel appointments.", inputSchema: .object(["type": "object"])),
            // ura cannot check arguments against `oneOf`: the tool is not offered to the model.
            Tool(
                name: "reschedule", description: "Move an appointment.",
                inputSchema: .object(["type": "object", "properties": ["to": ["oneOf": [["type": "string"], ["type": "number"]]]]])),
        ]
        if state.withLock({ $0.cancellationsOpen }) {
            tools.append(Tool(
                name: "cancel_appointment", description: "Cancel an appointment.",
                inputSchema: .object(["type": "object", "properties": ["confirmation": ["type": "string"]], "required": ["confirmation"]])))
        }
        return tools
    }

    private func call(_ name: String, _ arguments: [String: Value], server: Server?) async throws -> CallTool.Result {
        switch name {
        case "next_free_slot":
            let specialty = arguments["specialty"]?.stringValue ?? "?"
            let slot: Value = ["slot": ["start": "2026-12-07T09:00", "doctor": specialty == "cardiology" ? "Dr. Lima" : "Dr. Reis"]]
            return try .init(content: [.text(text: "Monday at 9:00", annotations: nil, _meta: nil)], structuredContent: slot)
        case "book_appointment":
            if bookingDelay > .zero { try await Task.sleep(for: bookingDelay) }
            state.withLock { $0.bookings.append(arguments) }
            if let bookingsFile, let line = try? JSONEncoder().encode(arguments) {
                Self.append(line + Data("\n".utf8), to: bookingsFile)
            }
            return .init(content: [.text(text: #"{"confirmation":"M-42","day":"\#(arguments["day"]?.stringValue ?? "")"}"#, annotations: nil, _meta: nil)])
        case "cancel_calendar":
            return .init(content: [.text(text: "the calendar is locked for maintenance", annotations: nil, _meta: nil)], isError: true)
        case "open_cancellations":
            state.withLock { $0.cancellationsOpen = true }
            try await server?.notify(ToolListChangedNotification.message())
            return .init(content: [.text(text: "cancellations are open", annotations: nil, _meta: nil)])
        case "cancel_appointment":
            return .init(content: [.text(text: #"{"cancelled":true}"#, annotations: nil, _meta: nil)])
        default:
            throw MCPError.methodNotFound("no tool \(name)")
        }
    }

    private static func append(_ data: Data, to path: String) {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data)
    }
}
